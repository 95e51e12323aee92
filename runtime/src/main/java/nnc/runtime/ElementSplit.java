package nnc.runtime;

/**
 * Runs an optimiser's element-by-element update of one parameter, split among the {@link Workers}
 * team when the parameter is large. Each thread then updates the range of rows it computed the
 * gradient of in the split weight-gradient product (both split by rows, evenly), so the gradient
 * is read from the cache of the core that wrote it. Allocates nothing after construction.
 */
final class ElementSplit {
    /**
     * Parameters of at least this many elements are split. Fashion-MNIST's 784 x 256 weights are;
     * 64 x 64 ones are not: below some 10 us of work, waking a thread costs more than it saves.
     */
    static final int MIN_ELEMENTS = 1 << 16;

    /** The update of elements {@code from} (inclusive) to {@code to} of parameter {@code k}. */
    interface Range {
        void update(int k, int from, int to);
    }

    private final Range range;
    private int k;
    private int n;
    private final Workers.Task task;

    ElementSplit(Range range) {
        this.range = range;
        this.task = (part, parts) -> range.update(k, start(n, part, parts), start(n, part + 1, parts));
    }

    /** Updates all {@code n} elements of parameter {@code k}. */
    void run(int k, int n) {
        if (n < MIN_ELEMENTS) {
            range.update(k, 0, n);
            return;
        }
        this.k = k;
        this.n = n;
        Workers.shared().run(task);
    }

    /** Where part {@code part} of {@code parts} begins: on a 16-element boundary (64 bytes of floats), the last ending at n. */
    static int start(int n, int part, int parts) {
        return part >= parts ? n : (int) ((long) n * part / parts) & ~15;
    }
}
