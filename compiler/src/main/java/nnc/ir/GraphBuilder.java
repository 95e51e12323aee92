package nnc.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates nodes with their shapes inferred and checked, then {@link #build()}s the graph. Shape
 * errors here are internal errors: the checker reports the user's mistakes before lowering.
 */
public final class GraphBuilder {
    private final String modelName;
    private final List<Node> inputs = new ArrayList<>();
    private final List<Node> targets = new ArrayList<>();
    private final List<Node> params = new ArrayList<>();
    private final List<Node> states = new ArrayList<>();
    private final Map<String, Node> outputs = new LinkedHashMap<>();
    private final Map<String, Node> gradients = new LinkedHashMap<>();
    private Node loss;
    private Node objective;
    private Origin origin = Origin.NONE;

    public GraphBuilder(String modelName) {
        this.modelName = modelName;
    }

    /** A builder that starts with the leaves of {@code g}, for passes that rewrite it. */
    public static GraphBuilder from(Graph g) {
        GraphBuilder b = new GraphBuilder(g.name());
        b.inputs.addAll(g.inputs());
        b.targets.addAll(g.targets());
        b.params.addAll(g.params());
        b.states.addAll(g.states());
        return b;
    }

    /** Nodes created from now on come from {@code o}. */
    public GraphBuilder at(Origin o) {
        this.origin = o == null ? Origin.NONE : o;
        return this;
    }

    public Origin origin() {
        return origin;
    }

    // Leaves.

    public Node input(String name, Shape shape) {
        Node n = leaf(Op.INPUT, shape.withBatched(true), 0, name, null);
        inputs.add(n);
        return n;
    }

    public Node target(String name, Shape shape) {
        Node n = leaf(Op.TARGET, shape.withBatched(true), 0, name, null);
        targets.add(n);
        return n;
    }

    /** A target of class indices 0..classes-1, one per sample. */
    public Node classTarget(String name, int classes) {
        Node n = leaf(Op.TARGET, Shape.of(true), classes, name, null);
        targets.add(n);
        return n;
    }

    public Node param(String name, Shape shape, InitSpec init, int fanIn, int fanOut) {
        if (shape.batched()) {
            throw new IllegalArgumentException("parameter " + name + " cannot be batched");
        }
        Node n = leaf(Op.PARAM, shape, 0, name, new Node.ParamInfo(init, fanIn, fanOut));
        params.add(n);
        return n;
    }

    /** A named buffer of model state that is not trained, reset to {@code initial}; see {@link Op#STATE}. */
    public Node state(String name, Shape shape, double initial) {
        if (shape.batched()) {
            throw new IllegalArgumentException("state " + name + " cannot be batched");
        }
        Node n = leaf(Op.STATE, shape, initial, name, null);
        states.add(n);
        return n;
    }

    /** A scalar constant. */
    public Node constant(double value) {
        return leaf(Op.CONST, Shape.scalar(), value, null, null);
    }

    /** A constant of any shape, every element {@code value}. */
    public Node constant(double value, Shape shape) {
        return leaf(Op.CONST, shape, value, null, null);
    }

    /** The run-time batch size, as a scalar. */
    public Node batchSize() {
        return leaf(Op.BATCH, Shape.scalar(), 0, null, null);
    }

    private Node leaf(Op op, Shape shape, double value, String name, Node.ParamInfo info) {
        return new Node(op, List.of(), shape, value, false, false, null, name, info, origin, null);
    }

    // Operations.

    public Node unary(Op op, Node x) {
        if (op.kind() != Op.Kind.UNARY || op == Op.POW) { // POW takes its exponent: pow()
            throw new IllegalArgumentException(op + " is not a plain unary op");
        }
        return make(op, List.of(x), x.shape(), 0, false, false);
    }

    public Node neg(Node x) {
        return unary(Op.NEG, x);
    }

    public Node pow(Node x, double exponent) {
        return make(Op.POW, List.of(x), x.shape(), exponent, false, false);
    }

    public Node binary(Op op, Node a, Node b) {
        if (op.kind() != Op.Kind.BINARY) {
            throw new IllegalArgumentException(op + " is not a binary op");
        }
        Shape s = Shape.broadcast(a.shape(), b.shape());
        if (s == null) {
            throw new IllegalArgumentException("cannot " + op.lower() + " " + a.shape() + " and " + b.shape());
        }
        return make(op, List.of(a, b), s, 0, false, false);
    }

    public Node add(Node a, Node b) {
        return binary(Op.ADD, a, b);
    }

    public Node sub(Node a, Node b) {
        return binary(Op.SUB, a, b);
    }

    public Node mul(Node a, Node b) {
        return binary(Op.MUL, a, b);
    }

    public Node div(Node a, Node b) {
        return binary(Op.DIV, a, b);
    }

    public Node matmul(Node a, Node b, boolean transA, boolean transB) {
        return make(Op.MATMUL, List.of(a, b), matmulShape(a.shape(), b.shape(), transA, transB), 0, transA, transB);
    }

    /** Sums {@code x} down to {@code to}, which must broadcast to x's shape. */
    public Node sum(Node x, Shape to) {
        if (!to.broadcastsTo(x.shape())) {
            throw new IllegalArgumentException("cannot sum " + x.shape() + " to " + to);
        }
        return make(Op.SUM, List.of(x), to, 0, false, false);
    }

    /** Broadcasts {@code x} up to {@code to}. */
    public Node expand(Node x, Shape to) {
        if (!x.shape().broadcastsTo(to)) {
            throw new IllegalArgumentException("cannot expand " + x.shape() + " to " + to);
        }
        return make(Op.EXPAND, List.of(x), to, 0, false, false);
    }

    /** log-sum-exp over the last axis, keeping it as a dimension of 1. */
    public Node logSumExp(Node x) {
        if (x.shape().rank() < 1) {
            throw new IllegalArgumentException("logsumexp needs a last axis: " + x.shape());
        }
        return make(Op.LOGSUMEXP, List.of(x), x.shape().dropLast().append(1), 0, false, false);
    }

    /** One-hot rows of width {@code classes} from class indices. */
    public Node oneHot(Node indices, int classes) {
        return make(Op.ONEHOT, List.of(indices), indices.shape().append(classes), classes, false, false);
    }

    /** A dropout mask shaped like {@code x}, zero with probability {@code p} while training. */
    public Node mask(Node x, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1]: " + p);
        }
        return make(Op.MASK, List.of(x), x.shape(), p, false, false);
    }

    /** The same op and attributes as {@code like}, on other inputs; for rewriting passes. */
    public Node copy(Node like, List<Node> newInputs) {
        if (like.op().kind() == Op.Kind.LEAF) {
            return like;
        }
        if (newInputs.equals(like.inputs())) {
            return like;
        }
        Shape s = switch (like.op().kind()) {
            case UNARY -> newInputs.get(0).shape();
            case BINARY -> Shape.broadcast(newInputs.get(0).shape(), newInputs.get(1).shape());
            case MATMUL -> matmulShape(newInputs.get(0).shape(), newInputs.get(1).shape(), like.transA(), like.transB());
            case REDUCE, MOVE, ROW, RANDOM, CONV, POOL, INDEX, LAYOUT, STATEFUL -> like.shape();
            case LEAF -> throw new AssertionError();
        };
        if (s == null || !s.equals(like.shape())) {
            throw new IllegalArgumentException("rewriting " + like + " changed its shape to " + s);
        }
        return like.with(newInputs, s);
    }

    private Node make(Op op, List<Node> in, Shape shape, double value, boolean ta, boolean tb) {
        return new Node(op, in, shape, value, ta, tb, null, null, null, origin, null);
    }

    private Node make(Op op, List<Node> in, Shape shape, double value, int... ints) {
        return new Node(op, in, shape, value, false, false, ints, null, null, origin, null);
    }

    // Images.

    /** conv2d(x [C, H, W], w [F, C, KH, KW]) -> [F, OH, OW]; see {@link Op#CONV2D}. */
    public Node conv2d(Node x, Node w, int stride, int padding) {
        return make(Op.CONV2D, List.of(x, w), conv2dShape(x.shape(), w.shape(), stride, padding), 0, stride, padding);
    }

    /** The adjoint of conv2d in its input: g [F, OH, OW], w [F, C, KH, KW] -> {@code to} [C, H, W]. */
    public Node conv2dT(Node g, Node w, int stride, int padding, Shape to) {
        Shape s = conv2dShape(to, w.shape(), stride, padding);
        if (!s.equals(g.shape())) {
            throw new IllegalArgumentException("conv2d_t of " + g.shape() + " cannot give " + to);
        }
        return make(Op.CONV2D_T, List.of(g, w), to, 0, stride, padding);
    }

    /** The adjoint of conv2d in its filters: x [C, H, W], g [F, OH, OW] -> {@code to} [F, C, KH, KW]. */
    public Node conv2dFilter(Node x, Node g, int stride, int padding, Shape to) {
        if (x.shape().batched() != g.shape().batched() || to.batched()
                || !conv2dShape(x.shape(), to, stride, padding).equals(g.shape())) {
            throw new IllegalArgumentException("conv2d_filter of " + x.shape() + " and " + g.shape() + " cannot give " + to);
        }
        return make(Op.CONV2D_FILTER, List.of(x, g), to, 0, stride, padding);
    }

    /** Positions of the maxima of each pooling window; see {@link Op#MAXPOOL_INDEX}. */
    public Node maxPoolIndex(Node x, int kernelH, int kernelW, int stride, int padding) {
        return make(Op.MAXPOOL_INDEX, List.of(x), poolShape(x.shape(), kernelH, kernelW, stride, padding), 0,
                kernelH, kernelW, stride, padding);
    }

    public Node avgPool(Node x, int kernelH, int kernelW, int stride, int padding) {
        return make(Op.AVGPOOL, List.of(x), poolShape(x.shape(), kernelH, kernelW, stride, padding), 0,
                kernelH, kernelW, stride, padding);
    }

    /** The adjoint of avgpool: g [C, OH, OW] -> {@code to} [C, H, W]. */
    public Node avgPoolT(Node g, int kernelH, int kernelW, int stride, int padding, Shape to) {
        if (!poolShape(to, kernelH, kernelW, stride, padding).equals(g.shape())) {
            throw new IllegalArgumentException("avgpool_t of " + g.shape() + " cannot give " + to);
        }
        return make(Op.AVGPOOL_T, List.of(g), to, 0, kernelH, kernelW, stride, padding);
    }

    /** x's elements at the positions {@code index} holds, per sample; shaped like index. */
    public Node gather(Node x, Node index) {
        if (x.shape().batched() != index.shape().batched()) {
            throw new IllegalArgumentException("gather needs both operands batched or neither: " + x.shape() + ", " + index.shape());
        }
        return make(Op.GATHER, List.of(x, index), index.shape(), 0);
    }

    /** The adjoint of gather: g's elements added at the positions {@code index} holds, into {@code to}. */
    public Node scatter(Node g, Node index, Shape to) {
        if (!g.shape().equals(index.shape()) || to.batched() != g.shape().batched()) {
            throw new IllegalArgumentException("scatter of " + g.shape() + " by " + index.shape() + " into " + to);
        }
        return make(Op.SCATTER, List.of(g, index), to, 0);
    }

    /** The same elements in shape {@code to}: the same batchedness and size. */
    public Node reshape(Node x, Shape to) {
        if (to.batched() != x.shape().batched() || to.size() != x.shape().size()) {
            throw new IllegalArgumentException("cannot reshape " + x.shape() + " to " + to);
        }
        return make(Op.RESHAPE, List.of(x), to, 0);
    }

    /** running(state, stat): see {@link Op#RUNNING}; {@code count} &gt; 0 makes it a variance's. */
    public Node running(Node state, Node stat, double momentum, int count) {
        if (state.op() != Op.STATE || !state.shape().equals(stat.shape())) {
            throw new IllegalArgumentException("running needs a state shaped like the statistic: " + state + ", " + stat);
        }
        return make(Op.RUNNING, List.of(state, stat), stat.shape(), momentum, count);
    }

    /**
     * The shape of conv2d(x, w): x [C, H, W] (batched or not), w [F, C, KH, KW] unbatched; fails
     * with the reason if they do not fit.
     */
    public static Shape conv2dShape(Shape x, Shape w, int stride, int padding) {
        if (x.rank() != 3 || w.rank() != 4 || w.batched() || w.dim(1) != x.dim(0)) {
            throw new IllegalArgumentException("conv2d needs x [C, H, W] and w [F, C, KH, KW]: " + x + ", " + w);
        }
        int oh = Shape.windows(x.dim(1), w.dim(2), stride, padding);
        int ow = Shape.windows(x.dim(2), w.dim(3), stride, padding);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d of " + x + " with " + w + " leaves no output");
        }
        return Shape.of(x.batched(), w.dim(0), oh, ow);
    }

    /** The shape of a pool over x [C, H, W]. */
    public static Shape poolShape(Shape x, int kernelH, int kernelW, int stride, int padding) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("pooling needs x [C, H, W]: " + x);
        }
        int oh = Shape.windows(x.dim(1), kernelH, stride, padding);
        int ow = Shape.windows(x.dim(2), kernelW, stride, padding);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("pooling " + x + " leaves no output");
        }
        return Shape.of(x.batched(), x.dim(0), oh, ow);
    }

    /**
     * The shape of {@code op(a) . op(b)} with both viewed as matrices: all dimensions but the last
     * (the batch included) are rows, the last is columns.
     */
    public static Shape matmulShape(Shape a, Shape b, boolean transA, boolean transB) {
        if (a.rank() < 1 || b.rank() < 1) {
            throw new IllegalArgumentException("matmul needs operands of rank 1 or more: " + a + ", " + b);
        }
        Shape rowsA = a.dropLast();
        Shape colsA = Shape.unbatched(a.last());
        Shape rowsB = b.dropLast();
        Shape colsB = Shape.unbatched(b.last());
        Shape resultRows = transA ? colsA : rowsA;
        Shape contractA = transA ? rowsA : colsA;
        Shape contractB = transB ? colsB : rowsB;
        if (transB && rowsB.batched()) {
            throw new IllegalArgumentException("matmul result columns must be static: " + a + ", " + b + "^T");
        }
        // A transposed operand's rows, however many dimensions they span, become one column count.
        int resultCols = transB ? rowsB.size() : colsB.dim(0);
        boolean same = contractA.batched() || contractB.batched()
                ? contractA.equals(contractB)
                : contractA.size() == contractB.size();
        if (!same) {
            throw new IllegalArgumentException("matmul inner dimensions differ: " + a + (transA ? "^T" : "") + " . "
                    + b + (transB ? "^T" : ""));
        }
        return resultRows.append(resultCols);
    }

    /** Names the value {@code n} computes after the .nn file, returning the labelled node. */
    public Node label(Node n, String label) {
        if (n.op().kind() == Op.Kind.LEAF) {
            return n; // leaves already carry their own names
        }
        return n.withLabel(label);
    }

    public void output(String name, Node n) {
        outputs.put(name, n);
    }

    public void loss(Node n) {
        if (!n.shape().isScalar()) {
            throw new IllegalArgumentException("the loss must be a scalar, not " + n.shape());
        }
        this.loss = n;
    }

    /** What training minimises, when it is more than the loss (a regularisation penalty added). */
    public void objective(Node n) {
        if (!n.shape().isScalar()) {
            throw new IllegalArgumentException("the objective must be a scalar, not " + n.shape());
        }
        this.objective = n;
    }

    public void gradient(String paramName, Node n) {
        gradients.put(paramName, n);
    }

    public Graph build() {
        return Graph.of(modelName, inputs, targets, params, states, outputs, loss, objective, gradients);
    }
}
