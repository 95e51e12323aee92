package nnc.ir;

import java.util.Arrays;

/**
 * A static shape. A batched shape has an implicit leading batch dimension whose size is only
 * known at run time (at most the model's maximum batch); {@link #dims()} are the dimensions of
 * one sample. An unbatched shape is fully static.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(false, new int[0]);

    private final boolean batched;
    private final int[] dims;

    private Shape(boolean batched, int[] dims) {
        this.batched = batched;
        this.dims = dims;
    }

    public static Shape of(boolean batched, int... dims) {
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
        }
        return new Shape(batched, dims.clone());
    }

    /** The unbatched scalar shape {@code []}. */
    public static Shape scalar() {
        return SCALAR;
    }

    public static Shape unbatched(int... dims) {
        return of(false, dims);
    }

    public static Shape batched(int... dims) {
        return of(true, dims);
    }

    public boolean batched() {
        return batched;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** Last dimension; fails on rank 0. */
    public int last() {
        return dims[dims.length - 1];
    }

    /** Elements of one sample (batched) or of the whole tensor (unbatched). */
    public int size() {
        int s = 1;
        for (int d : dims) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }

    public boolean isScalar() {
        return !batched && dims.length == 0;
    }

    /** The same dimensions with the batch flag set or cleared. */
    public Shape withBatched(boolean b) {
        return b == batched ? this : new Shape(b, dims);
    }

    /** All but the last dimension (keeping the batch flag). */
    public Shape dropLast() {
        return new Shape(batched, Arrays.copyOf(dims, dims.length - 1));
    }

    /** This shape with {@code d} appended. */
    public Shape append(int d) {
        int[] n = Arrays.copyOf(dims, dims.length + 1);
        n[dims.length] = d;
        return of(batched, n);
    }

    /**
     * The numpy-style broadcast of two shapes, batch leading: per-sample dimensions align from the
     * right; a dimension of 1 stretches. An unbatched operand may not have more dimensions than a
     * batched one's samples (it would have to stretch along the batch). Returns null if the shapes
     * do not broadcast.
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        boolean batched = a.batched || b.batched;
        if (a.batched != b.batched) {
            Shape unbatched = a.batched ? b : a;
            Shape withBatch = a.batched ? a : b;
            if (unbatched.rank() > withBatch.rank()) {
                return null;
            }
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = Math.max(da, db);
        }
        return new Shape(batched, out);
    }

    /**
     * The number of windows of size {@code kernel} that fit along {@code size} padded by
     * {@code padding} on both sides, {@code stride} apart: (size + 2 padding - kernel) / stride + 1,
     * or 0 if none fits or an argument is out of range (kernel and stride at least 1, padding at least 0).
     */
    public static int windows(int size, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0) {
            return 0;
        }
        long span = (long) size + 2L * padding - kernel;
        return span < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, span / stride + 1);
    }

    /** True if this shape broadcasts to {@code target} without changing {@code target}. */
    public boolean broadcastsTo(Shape target) {
        Shape b = broadcast(this, target);
        return b != null && b.equals(target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && s.batched == batched && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 2 + (batched ? 1 : 0);
    }

    /** {@code [batch, 64]}, {@code [64, 10]}, {@code []}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        if (batched) {
            s.append("batch");
        }
        for (int d : dims) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(d);
        }
        return s.append(']').toString();
    }
}
