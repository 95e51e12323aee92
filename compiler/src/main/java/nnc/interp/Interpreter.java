package nnc.interp;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Elementwise;
import nnc.ir.Graph;
import nnc.ir.Layout;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;
import nnc.runtime.Rng;

/**
 * Runs any graph op by op in double precision with generic kernels, the way an eager framework
 * does: no code generation, no specialisation. It is the reference that generated code and the
 * derivative rules are checked against, so it favours plainness over speed.
 */
public final class Interpreter {
    private final Graph graph;
    private final int maxBatch;
    private final boolean floats;
    private final Map<List<Node>, List<Node>> schedules = new HashMap<>();
    private final Map<Node, double[]> values = new IdentityHashMap<>();
    private final Map<String, double[]> leaves = new HashMap<>();
    private final List<Node> outputRoots;
    private final List<Node> lossRoots;
    private final List<Node> trainRoots;
    private Rng rng = Rng.forStream(0, "dropout");
    private boolean training;

    /** A double-precision interpreter. */
    public Interpreter(Graph graph, int maxBatch) {
        this(graph, maxBatch, false);
    }

    /**
     * @param floats round every result to float, as float code does: each operation, and each
     *     step of a matrix product's or a partial sum's accumulation, in the order generated code
     *     uses; totals to a scalar accumulate in double, as generated code does
     */
    public Interpreter(Graph graph, int maxBatch, boolean floats) {
        this.graph = graph;
        this.maxBatch = maxBatch;
        this.floats = floats;
        this.outputRoots = List.copyOf(graph.outputs().values());
        this.lossRoots = graph.loss() == null ? List.of() : List.of(graph.loss());
        List<Node> train = new java.util.ArrayList<>(graph.gradients().values());
        if (graph.loss() != null) {
            train.add(graph.loss());
        }
        this.trainRoots = List.copyOf(train);
        for (List<Node> group : List.of(graph.inputs(), graph.targets(), graph.params(), graph.states())) {
            for (Node n : group) {
                double[] storage = new double[Layout.length(n.shape(), maxBatch)];
                leaves.put(n.name(), storage);
                values.put(n, storage);
            }
        }
        resetStates();
    }

    /** Sets every STATE buffer to its initial value. */
    public void resetStates() {
        for (Node s : graph.states()) {
            java.util.Arrays.fill(values.get(s), round(s.value()));
        }
    }

    public Graph graph() {
        return graph;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The storage of an input, target, parameter or state, to fill before running. */
    public double[] leaf(String name) {
        double[] v = leaves.get(name);
        if (v == null) {
            throw new IllegalArgumentException("graph " + graph.name() + " has no input, target or parameter " + name);
        }
        return v;
    }

    /** Evaluates {@code roots} and everything they need for a batch of {@code n}. */
    public void run(List<Node> roots, int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch " + n + " is outside 1.." + maxBatch);
        }
        List<Node> order = schedules.computeIfAbsent(roots, graph::schedule);
        for (Node node : order) {
            if (node.op() == Op.INPUT || node.op() == Op.TARGET || node.op() == Op.PARAM || node.op() == Op.STATE) {
                continue;
            }
            double[] out = values.computeIfAbsent(node, k -> new double[Layout.length(k.shape(), maxBatch)]);
            execute(node, out, n);
        }
    }

    /** The values of {@code node} from the last run (a prefix is valid for batched nodes). */
    public double[] value(Node node) {
        double[] v = values.get(node);
        if (v == null) {
            throw new IllegalStateException(node + " has not been computed");
        }
        return v;
    }

    /** Forward pass to the outputs. */
    public void infer(int n) {
        training = false;
        run(outputRoots, n);
    }

    /** Forward pass only, in evaluation mode: returns the loss. */
    public double loss(int n) {
        return loss(n, false);
    }

    /**
     * Forward pass only, as training ({@code training}: dropout active, batch statistics, running
     * statistics updated) or evaluation computes it: returns the loss. The gradient check compares
     * the training step with differences of the training-mode loss.
     */
    public double loss(int n, boolean training) {
        this.training = training;
        run(lossRoots, n);
        return values.get(graph.loss())[0];
    }

    /** Forward and backward pass: returns the loss; gradients are then in {@link #gradient}. */
    public double trainStep(int n) {
        training = true;
        run(trainRoots, n);
        return values.get(graph.loss())[0];
    }

    /** The gradient of the loss with respect to {@code param} from the last training step. */
    public double[] gradient(String param) {
        Node g = graph.gradients().get(param);
        if (g == null) {
            throw new IllegalArgumentException("no gradient for " + param);
        }
        return value(g);
    }

    private void execute(Node node, double[] out, int n) {
        switch (node.op().kind()) {
            case LEAF -> {
                if (node.op() == Op.CONST) {
                    java.util.Arrays.fill(out, 0, Layout.length(node.shape(), n), round(node.value()));
                } else { // BATCH
                    out[0] = n;
                }
            }
            case UNARY -> {
                double[] x = value(node.input(0));
                int len = Layout.length(node.shape(), n);
                for (int i = 0; i < len; i++) {
                    out[i] = round(Elementwise.unary(node.op(), x[i], node.value()));
                }
            }
            case BINARY -> binary(node, out, n);
            case MATMUL -> matmul(node, out, n);
            case REDUCE -> sum(node, out, n);
            case MOVE -> expand(node, out, n);
            case ROW -> row(node, out, n);
            case RANDOM -> mask(node, out, n);
            case CONV -> {
                double[] a = value(node.input(0));
                double[] b = value(node.input(1));
                switch (node.op()) {
                    case CONV2D -> ImageKernels.conv2d(node, a, b, out, n, this::round);
                    case CONV2D_T -> ImageKernels.conv2dT(node, a, b, out, n, this::round);
                    default -> ImageKernels.conv2dFilter(node, a, b, out, n, this::round);
                }
            }
            case POOL -> {
                if (node.op() == Op.AVGPOOL_T) {
                    ImageKernels.avgPoolT(node, value(node.input(0)), out, n, this::round);
                } else {
                    ImageKernels.pool(node, value(node.input(0)), out, n, this::round);
                }
            }
            case INDEX -> ImageKernels.index(node, value(node.input(0)), value(node.input(1)), out, n, this::round);
            case LAYOUT -> System.arraycopy(value(node.input(0)), 0, out, 0, Layout.length(node.shape(), n));
            case STATEFUL -> running(node, out, n);
        }
    }

    /** See {@link Op#RUNNING}: the batch statistic, moving the state towards it, while training; else the state. */
    private void running(Node node, double[] out, int n) {
        double[] state = value(node.input(0));
        double[] stat = value(node.input(1));
        int len = node.shape().size();
        if (!training) {
            System.arraycopy(state, 0, out, 0, len);
            return;
        }
        double m = node.value();
        long count = (long) n * node.ints(0);
        double keep = round(1 - m);
        double add = round(count > 1 ? m * count / (count - 1.0) : m); // unbiased for a variance over count values
        for (int i = 0; i < len; i++) {
            out[i] = stat[i];
            state[i] = round(round(keep * state[i]) + round(add * stat[i]));
        }
    }

    private void row(Node node, double[] out, int n) {
        double[] x = value(node.input(0));
        if (node.op() == Op.ONEHOT) {
            int classes = (int) node.value();
            int rows = Layout.length(node.input(0).shape(), n);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes; j++) {
                    out[i * classes + j] = j == (int) x[i] ? 1 : 0;
                }
            }
            return;
        }
        int width = node.input(0).shape().last();
        int rows = Layout.length(node.input(0).shape(), n) / width;
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, x[i * width + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(x[i * width + j] - max);
            }
            out[i] = round(max == Double.NEGATIVE_INFINITY ? max : max + Math.log(sum));
        }
    }

    private void mask(Node node, double[] out, int n) {
        int len = Layout.length(node.shape(), n);
        double p = node.value();
        if (!training || p == 0) {
            java.util.Arrays.fill(out, 0, len, 1);
        } else if (p == 1) {
            java.util.Arrays.fill(out, 0, len, 0);
        } else {
            double scale = round(1 / (1 - p));
            for (int i = 0; i < len; i++) {
                out[i] = rng.nextDouble() < p ? 0 : scale;
            }
        }
    }

    /** Seeds the generator of dropout masks, as a generated model's {@code initialize} does. */
    public void seed(long seed) {
        rng = Rng.forStream(seed, "dropout");
    }

    /** True if the graph draws dropout masks, as generated code has a generator only then. */
    public boolean hasDropout() {
        return graph.nodes().stream().anyMatch(node -> node.op() == Op.MASK);
    }

    /** The state of the dropout generator, for checkpoints. */
    public long[] randomState() {
        return rng.saveState();
    }

    public void restoreRandomState(long[] state) {
        rng.restoreState(state);
    }

    private void binary(Node node, double[] out, int n) {
        Shape s = node.shape();
        int[] dims = Layout.dims(s, n);
        int[] sa = Layout.broadcastStrides(node.input(0).shape(), s);
        int[] sb = Layout.broadcastStrides(node.input(1).shape(), s);
        double[] a = value(node.input(0));
        double[] b = value(node.input(1));
        int[] index = new int[dims.length];
        int len = Layout.length(s, n);
        for (int i = 0; i < len; i++) {
            out[i] = round(Elementwise.binary(node.op(), a[offset(index, sa)], b[offset(index, sb)]));
            increment(index, dims);
        }
    }

    private void expand(Node node, double[] out, int n) {
        Shape s = node.shape();
        int[] dims = Layout.dims(s, n);
        int[] sx = Layout.broadcastStrides(node.input(0).shape(), s);
        double[] x = value(node.input(0));
        int[] index = new int[dims.length];
        int len = Layout.length(s, n);
        for (int i = 0; i < len; i++) {
            out[i] = x[offset(index, sx)];
            increment(index, dims);
        }
    }

    private void sum(Node node, double[] out, int n) {
        Shape from = node.input(0).shape();
        int[] dims = Layout.dims(from, n);
        int[] so = Layout.broadcastStrides(node.shape(), from);
        double[] x = value(node.input(0));
        int outLength = Layout.length(node.shape(), n);
        java.util.Arrays.fill(out, 0, outLength, 0);
        int[] index = new int[dims.length];
        int len = Layout.length(from, n);
        if (outLength == 1 && !node.shape().batched()) {
            double total = 0; // a total accumulates in double, as generated code does
            for (int i = 0; i < len; i++) {
                total += x[i];
            }
            out[0] = round(total);
            return;
        }
        for (int i = 0; i < len; i++) {
            int o = offset(index, so);
            out[o] = round(out[o] + x[i]);
            increment(index, dims);
        }
    }

    private void matmul(Node node, double[] out, int n) {
        Shape a = node.input(0).shape();
        Shape b = node.input(1).shape();
        int rowsA = Layout.length(a, n) / a.last();
        int colsA = a.last();
        int rowsB = Layout.length(b, n) / b.last();
        int colsB = b.last();
        int m = node.transA() ? colsA : rowsA;
        int k = node.transA() ? rowsA : colsA;
        int p = node.transB() ? rowsB : colsB;
        double[] x = value(node.input(0));
        double[] y = value(node.input(1));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                double acc = 0;
                for (int q = 0; q < k; q++) { // in the order of q, as generated code adds
                    double av = node.transA() ? x[q * colsA + i] : x[i * colsA + q];
                    double bv = node.transB() ? y[j * colsB + q] : y[q * colsB + j];
                    acc = round(acc + round(av * bv));
                }
                out[i * p + j] = acc;
            }
        }
    }

    /** Whether results are rounded to float. */
    public boolean floats() {
        return floats;
    }

    private double round(double v) {
        return floats ? (float) v : v;
    }

    private static int offset(int[] index, int[] strides) {
        int o = 0;
        for (int i = 0; i < index.length; i++) {
            o += index[i] * strides[i];
        }
        return o;
    }

    private static void increment(int[] index, int[] dims) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < dims[i]) {
                return;
            }
            index[i] = 0;
        }
    }
}
