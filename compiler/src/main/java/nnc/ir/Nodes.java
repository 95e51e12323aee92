package nnc.ir;

import java.util.Locale;

/** Small helpers for showing nodes and numbers. */
public final class Nodes {
    private Nodes() {}

    /** A double as short, exact-enough text: {@code 1}, {@code 0.03}, {@code -1.5E-8}. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * The integer attributes of a convolution or pool, named: {@code (stride 1, padding 1)},
     * {@code (kernel 2x2, stride 2, padding 0)}; empty for other ops.
     */
    public static String attributes(Node n) {
        return switch (n.op().kind()) {
            case CONV -> String.format(Locale.ROOT, "(stride %d, padding %d)", n.ints(0), n.ints(1));
            case POOL -> String.format(Locale.ROOT, "(kernel %dx%d, stride %d, padding %d)", n.ints(0), n.ints(1),
                    n.ints(2), n.ints(3));
            default -> "";
        };
    }

    /** {@code mul[batch, 64]} with attributes: {@code const(0.5)[]}, {@code matmul^T.[64, 1]}. */
    public static String describe(Node n) {
        StringBuilder s = new StringBuilder(n.op().lower());
        switch (n.op()) {
            case CONST, POW, ONEHOT, MASK -> s.append('(').append(number(n.value())).append(')');
            case INPUT, TARGET, PARAM, STATE -> s.append(' ').append(n.name());
            case RUNNING -> s.append('(').append(number(n.value())).append(", ").append(n.ints(0)).append(')');
            case MATMUL -> {
                if (n.transA() || n.transB()) {
                    s.append(String.format(Locale.ROOT, "(%s, %s)", n.transA() ? "aT" : "a", n.transB() ? "bT" : "b"));
                }
            }
            default -> s.append(attributes(n));
        }
        return s.append(' ').append(n.shape()).toString();
    }
}
