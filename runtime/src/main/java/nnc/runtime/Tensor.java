package nnc.runtime;

import java.util.Arrays;

/**
 * A named dense tensor in flat row-major storage, either float or double.
 *
 * <p>A batched tensor holds up to {@code maxBatch} samples of {@link #shape()} one after another;
 * its storage is allocated once for the largest batch and any smaller batch uses a prefix.
 * Generated code works on the arrays directly; {@link #get} and {@link #set} are for everything
 * that is not a hot loop (initialisers, data loading, tests).
 */
public final class Tensor {
    private final String name;
    private final int[] shape;
    private final boolean batched;
    private final int sampleSize;
    private final float[] floats;
    private final double[] doubles;

    private Tensor(String name, int[] shape, boolean batched, float[] floats, double[] doubles) {
        this.name = name;
        this.shape = shape.clone();
        this.batched = batched;
        int size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimensions must be positive: " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, d);
        }
        this.sampleSize = size;
        int length = floats != null ? floats.length : doubles.length;
        if (batched ? length % size != 0 : length != size) {
            throw new IllegalArgumentException(
                    name + ": storage of " + length + " does not fit shape " + Arrays.toString(shape));
        }
        this.floats = floats;
        this.doubles = doubles;
    }

    /** An unbatched float tensor over {@code data}, which it does not copy. */
    public static Tensor of(String name, int[] shape, float[] data) {
        return new Tensor(name, shape, false, data, null);
    }

    /** An unbatched double tensor over {@code data}, which it does not copy. */
    public static Tensor of(String name, int[] shape, double[] data) {
        return new Tensor(name, shape, false, null, data);
    }

    /** A batched float tensor: {@code data.length / size(shape)} samples of {@code shape}. */
    public static Tensor batched(String name, int[] shape, float[] data) {
        return new Tensor(name, shape, true, data, null);
    }

    /** A batched double tensor: {@code data.length / size(shape)} samples of {@code shape}. */
    public static Tensor batched(String name, int[] shape, double[] data) {
        return new Tensor(name, shape, true, null, data);
    }

    /** The name the .nn file gave it, such as {@code x} or {@code h1.weight}. */
    public String name() {
        return name;
    }

    /** The shape of one sample if batched, of the whole tensor otherwise. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public boolean isBatched() {
        return batched;
    }

    /** Elements per sample (batched) or in all (unbatched). */
    public int sampleSize() {
        return sampleSize;
    }

    /** Samples the storage holds: the maximum batch for a batched tensor, 1 otherwise. */
    public int capacity() {
        return length() / sampleSize;
    }

    /** Elements in the storage. */
    public int length() {
        return floats != null ? floats.length : doubles.length;
    }

    public boolean isDouble() {
        return doubles != null;
    }

    /** The float storage; fails for a double tensor. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException(name + " holds doubles, not floats");
        }
        return floats;
    }

    /** The double storage; fails for a float tensor. */
    public double[] doubles() {
        if (doubles == null) {
            throw new IllegalStateException(name + " holds floats, not doubles");
        }
        return doubles;
    }

    public double get(int index) {
        return floats != null ? floats[index] : doubles[index];
    }

    public void set(int index, double value) {
        if (floats != null) {
            floats[index] = (float) value;
        } else {
            doubles[index] = value;
        }
    }

    /** Sets every element to {@code value}. */
    public void fill(double value) {
        if (floats != null) {
            Arrays.fill(floats, (float) value);
        } else {
            Arrays.fill(doubles, value);
        }
    }

    /** Copies all elements from {@code other}, which must have the same length (any precision). */
    public void copyFrom(Tensor other) {
        if (other.length() != length()) {
            throw new IllegalArgumentException(name + ": cannot copy " + other.length() + " elements into " + length());
        }
        if (floats != null && other.floats != null) {
            System.arraycopy(other.floats, 0, floats, 0, floats.length);
        } else if (doubles != null && other.doubles != null) {
            System.arraycopy(other.doubles, 0, doubles, 0, doubles.length);
        } else {
            for (int i = 0; i < length(); i++) {
                set(i, other.get(i));
            }
        }
    }

    /** Shape as text, with {@code batch} in front for a batched tensor: {@code [batch, 64]}. */
    public String shapeText() {
        StringBuilder s = new StringBuilder("[");
        if (batched) {
            s.append("batch");
        }
        for (int d : shape) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(d);
        }
        return s.append(']').toString();
    }

    @Override
    public String toString() {
        return name + shapeText();
    }
}
