package nnc.runtime;

/** Short number text for messages. */
final class Numbers {
    private Numbers() {}

    static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
