package nnc.interp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * Random valid graphs over the whole op set, reproducible from a seed: chains and trees of
 * elementwise ops with broadcasting, matrix products in every transposition, sums and expands,
 * over batched and unbatched operands. Operands of ops that can overflow or leave their domain
 * (exp, pow, log, division) are first squashed or made positive, so values stay finite.
 */
public final class RandomGraphs {
    private final Random r;
    private final GraphBuilder b;
    private final List<Node> pool = new ArrayList<>();
    private int params;
    private Node labels;

    private RandomGraphs(long seed) {
        this.r = new Random(seed);
        this.b = new GraphBuilder("Random" + seed);
    }

    public static Graph generate(long seed) {
        return new RandomGraphs(seed).build();
    }

    private Graph build() {
        int inputs = 1 + r.nextInt(2);
        for (int i = 0; i < inputs; i++) {
            pool.add(b.input("x" + i, randomShape(true)));
        }
        int initial = 1 + r.nextInt(2);
        for (int i = 0; i < initial; i++) {
            pool.add(param(randomShape(false)));
        }
        int steps = 3 + r.nextInt(10);
        for (int i = 0; i < steps; i++) {
            Node n = step();
            if (n != null) {
                pool.add(n);
            }
        }
        Node last = pool.get(pool.size() - 1);
        Node loss = b.sum(b.mul(last, b.constant(0.5 + r.nextDouble())), Shape.scalar());
        for (int i = 0; i < r.nextInt(3); i++) {
            Node extra = pick();
            loss = b.add(loss, b.sum(b.mul(extra, b.constant(r.nextDouble() - 0.5)), Shape.scalar()));
        }
        if (last.shape().batched() && r.nextBoolean()) {
            Node t = b.target("t", last.shape());
            loss = b.add(loss, b.div(b.sum(b.pow(b.sub(last, t), 2), Shape.scalar()), b.batchSize()));
        }
        b.loss(loss);
        b.output("last", last);
        Node other = pick();
        if (other != last) {
            b.output("other", other);
        }
        return b.build();
    }

    private Node step() {
        if (r.nextInt(8) == 0) {
            return images();
        }
        int kind = r.nextInt(10);
        if (kind < 4) {
            return unary(pick());
        } else if (kind < 7) {
            return binary(pick());
        } else if (kind < 8) {
            return matmul();
        } else if (kind < 9) {
            return sum(pick());
        }
        return expand(pick());
    }

    private static final Op[] UNARY = {Op.NEG, Op.EXP, Op.LOG, Op.SIN, Op.COS, Op.TANH, Op.SIGMOID, Op.RELU, Op.STEP, Op.POW,
        Op.SOFTPLUS, Op.ERF, Op.SINC, Op.LOGSUMEXP, Op.ONEHOT, Op.MASK};
    private static final double[] EXPONENTS = {2, 3, -1, 0.5, 1.5};

    private Node unary(Node x) {
        Op op = UNARY[r.nextInt(UNARY.length)];
        switch (op) {
            case EXP:
                return b.unary(Op.EXP, b.unary(Op.TANH, x));
            case LOG:
                return b.unary(Op.LOG, positive(x));
            case POW:
                double c = EXPONENTS[r.nextInt(EXPONENTS.length)];
                return b.pow(c == Math.rint(c) && c > 0 ? b.unary(Op.TANH, x) : positive(x), c);
            case LOGSUMEXP:
                return x.shape().rank() >= 1 ? b.logSumExp(x) : b.unary(Op.SOFTPLUS, x);
            case ONEHOT:
                // Class indices from data: 0, 1 or 2 after truncation of values in [-1, 3).
                Node label = labels == null ? (labels = b.input("label", Shape.of(true))) : labels;
                Node scaled = b.add(b.mul(label, b.constant(2)), b.constant(1));
                return b.mul(b.oneHot(scaled, 3), param(Shape.unbatched(3)));
            case MASK:
                double[] ps = {0, 0.3, 0.5, 1};
                return b.mul(x, b.mask(x, ps[r.nextInt(ps.length)]));
            default:
                return b.unary(op, x);
        }
    }

    /** 1 + x^2: at least 1. */
    private Node positive(Node x) {
        return b.add(b.constant(1), b.mul(x, x));
    }

    private static final Op[] BINARY = {Op.ADD, Op.SUB, Op.MUL, Op.DIV};

    private Node binary(Node a) {
        Op op = BINARY[r.nextInt(BINARY.length)];
        Node other = compatible(a);
        boolean swap = r.nextBoolean();
        Node left = swap ? other : a;
        Node right = swap ? a : other;
        if (op == Op.DIV) {
            right = positive(right);
        }
        return b.binary(op, left, right);
    }

    /** Another operand that broadcasts with {@code a}: from the pool if one fits, else a new parameter. */
    private Node compatible(Node a) {
        List<Node> fits = new ArrayList<>();
        for (Node n : pool) {
            Shape s = Shape.broadcast(n.shape(), a.shape());
            if (s != null && s.size() <= 64) {
                fits.add(n);
            }
        }
        if (!fits.isEmpty() && r.nextBoolean()) {
            return fits.get(r.nextInt(fits.size()));
        }
        // A parameter shaped like a suffix of a's sample, with some dimensions 1.
        int[] d = a.shape().dims();
        int keep = d.length == 0 ? 0 : r.nextInt(d.length + 1);
        int[] p = new int[keep];
        for (int i = 0; i < keep; i++) {
            p[i] = r.nextInt(3) == 0 ? 1 : d[d.length - keep + i];
        }
        return param(Shape.unbatched(p));
    }

    private Node matmul() {
        List<Node> ranked = new ArrayList<>();
        for (Node n : pool) {
            if (n.shape().rank() >= 1) {
                ranked.add(n);
            }
        }
        if (ranked.isEmpty()) {
            return null;
        }
        Node a = ranked.get(r.nextInt(ranked.size()));
        int k = a.shape().last();
        int n = 1 + r.nextInt(4);
        int form = r.nextInt(4);
        if (form == 0) {
            return b.matmul(a, param(Shape.unbatched(k, n)), false, false);
        } else if (form == 1) {
            return b.matmul(a, param(Shape.unbatched(n, k)), false, true);
        } else if (form == 2) {
            // Contract over the rows of a (the batch among them) with another tensor of the same rows.
            Node c = b.unary(Op.TANH, b.matmul(a, param(Shape.unbatched(k, n)), false, false));
            return b.matmul(a, c, true, false);
        }
        // Both transposed: a^T . W^T with W [n, rows of a]; only when a's rows are static.
        if (a.shape().batched()) {
            return b.matmul(a, param(Shape.unbatched(k, n)), false, false);
        }
        int rows = a.shape().size() / k;
        return b.matmul(a, param(Shape.unbatched(n, rows)), true, true);
    }

    private Node sum(Node x) {
        Shape s = x.shape();
        boolean batched = s.batched() && r.nextBoolean();
        int[] d = s.dims();
        int keep = d.length == 0 ? 0 : r.nextInt(d.length + 1);
        int[] t = new int[keep];
        for (int i = 0; i < keep; i++) {
            t[i] = r.nextBoolean() ? 1 : d[d.length - keep + i];
        }
        return b.sum(x, Shape.of(batched, t));
    }

    private Node expand(Node x) {
        Shape s = x.shape();
        if (s.size() > 16) {
            return b.unary(Op.SIN, x);
        }
        int[] d = s.dims();
        if (r.nextBoolean() || s.batched()) {
            int[] t = new int[d.length + 1];
            t[0] = 1 + r.nextInt(3);
            System.arraycopy(d, 0, t, 1, d.length);
            return b.expand(x, Shape.of(s.batched(), t));
        }
        return b.expand(x, Shape.of(true, d));
    }

    private Node image;
    private int states;

    /**
     * A short chain of image ops on a small batched image [C, H, W] (an input, scaled by a parameter
     * or not, so that its gradient is sometimes needed): convolutions with and without padding and
     * stride, max- and average-pools, and a batch normalisation through running statistics;
     * flattened and squashed at the end so that the other ops can use it.
     */
    private Node images() {
        if (image == null) {
            image = b.input("image", Shape.batched(1 + r.nextInt(3), 3 + r.nextInt(5), 3 + r.nextInt(5)));
        }
        Node x = image;
        if (r.nextBoolean()) {
            x = b.mul(x, param(Shape.unbatched(x.shape().dim(0), 1, 1)));
        }
        int ops = 1 + r.nextInt(3);
        for (int i = 0; i < ops; i++) {
            Shape s = x.shape();
            int small = Math.min(s.dim(1), s.dim(2));
            switch (r.nextInt(4)) {
                case 0 -> {
                    int kernel = 1 + r.nextInt(Math.min(3, small));
                    int padding = r.nextInt(2);
                    int stride = 1 + r.nextInt(2);
                    Node w = param(Shape.unbatched(1 + r.nextInt(3), s.dim(0), kernel, kernel));
                    x = b.conv2d(x, w, stride, padding);
                    if (r.nextBoolean()) {
                        x = b.add(x, b.reshape(param(Shape.unbatched(w.shape().dim(0))), Shape.unbatched(w.shape().dim(0), 1, 1)));
                    }
                }
                case 1 -> {
                    if (small < 2) {
                        continue;
                    }
                    int stride = 1 + r.nextInt(2);
                    int padding = r.nextInt(2);
                    x = b.gather(x, b.maxPoolIndex(x, 2, 2, stride, padding));
                }
                case 2 -> {
                    int kernel = 1 + r.nextInt(Math.min(3, small));
                    x = b.avgPool(x, kernel, kernel, 1 + r.nextInt(2), r.nextInt(kernel / 2 + 1));
                }
                default -> {
                    // Batch normalisation's centring, through a running mean (mode-dependent).
                    int channels = s.dim(0);
                    int positions = s.size() / channels;
                    Node mean = b.div(b.sum(x, Shape.unbatched(channels, 1, 1)), b.mul(b.batchSize(), b.constant(positions)));
                    Node state = b.state("running" + states++, Shape.unbatched(channels), r.nextDouble());
                    Node running = b.running(state, b.reshape(mean, Shape.unbatched(channels)), 0.1 + 0.8 * r.nextDouble(),
                            r.nextInt(2) * positions);
                    // Only partly centred: full centring would make the gradient of any per-channel shift
                    // before it exactly 0, a value that float rounding noise alone decides.
                    x = b.sub(x, b.mul(b.reshape(running, Shape.unbatched(channels, 1, 1)), b.constant(0.3 + 0.4 * r.nextDouble())));
                }
            }
        }
        // Squashed, so that a chain of products of convolutions cannot diverge in the SGD steps.
        return b.unary(Op.TANH, b.reshape(x, Shape.batched(x.shape().size())));
    }

    private Node pick() {
        // Favour recent nodes, so graphs grow into chains as well as trees.
        int n = pool.size();
        int i = r.nextBoolean() ? n - 1 - r.nextInt(Math.min(3, n)) : r.nextInt(n);
        return pool.get(i);
    }

    private Node param(Shape s) {
        return b.param("p" + params++, s, new InitSpec("normal", 0, 0.7), 1, 1);
    }

    private Shape randomShape(boolean batched) {
        int rank = r.nextInt(3);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + r.nextInt(4);
        }
        return Shape.of(batched, d);
    }
}
