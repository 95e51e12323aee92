package nnc.runtime.data;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.ErrorCode;
import nnc.runtime.Model;
import nnc.runtime.Rng;
import nnc.runtime.Tensor;

/**
 * Minibatches of a data set, copied into a model's input and target buffers. Everything is set
 * up once; {@link #shuffle()} and {@link #load(int)} allocate nothing.
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final Tensor[] tensors;
    private final double[][] columns;
    /** A float tensor's column as floats ({@link Dataset#floats}), from the second batch loaded on. */
    private final float[][] floatColumns;
    private final int[] widths;
    private final int[] order;
    private final Rng rng;
    /** Batches loaded so far. */
    private long loads;

    private Batches(Model model, Dataset data, int batchSize, Rng rng, boolean withTargets) {
        if (batchSize < 1 || batchSize > model.maxBatch()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is outside 1.." + model.maxBatch()
                    + " (the model was compiled for batches of up to " + model.maxBatch() + ")");
        }
        if (data.size() == 0) {
            throw DataException.in(ErrorCode.E507, data.source(), "no samples");
        }
        List<Tensor> wanted = new ArrayList<>(model.inputs());
        if (withTargets) {
            wanted.addAll(model.targets());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.tensors = wanted.toArray(new Tensor[0]);
        this.columns = new double[tensors.length][];
        this.floatColumns = new float[tensors.length][];
        this.widths = new int[tensors.length];
        for (int k = 0; k < tensors.length; k++) {
            Tensor t = tensors[k];
            if (!data.has(t.name())) {
                throw DataException.in(ErrorCode.E507, data.source(), "no data for " + t.name() + " " + t.shapeText()
                        + " (it has " + String.join(", ", data.names()) + ")");
            }
            if (data.width(t.name()) != t.sampleSize()) {
                throw DataException.in(ErrorCode.E507, data.source(), t.name() + " has " + data.width(t.name())
                        + " values per sample, but the model's " + t.name() + " " + t.shapeText() + " needs " + t.sampleSize());
            }
            columns[k] = data.data(t.name());
            widths[k] = t.sampleSize();
        }
        if (withTargets && model.classes() > 0 && !model.targets().isEmpty()) {
            checkClasses(data, model.targets().get(0).name(), model.classes());
        }
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.rng = rng;
    }

    /**
     * A classifier's labels must be class indices: generated code reads the score at the label's
     * index, so another value would read past the scores or train on the wrong one.
     */
    private static void checkClasses(Dataset data, String target, int classes) {
        double[] labels = data.data(target);
        for (int i = 0; i < labels.length; i++) {
            double v = labels[i];
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                throw DataException.in(ErrorCode.E508, data.source(), "sample " + i + " (counting from 0): " + target + " is "
                        + (v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v))
                        + ", not a class index 0.." + (classes - 1));
            }
        }
    }

    /** Batches of inputs and targets, for training and evaluation. */
    public static Batches of(Model model, Dataset data, int batchSize, Rng shuffleRng) {
        return new Batches(model, data, batchSize, shuffleRng, true);
    }

    /** Batches of inputs only, for inference. */
    public static Batches forInference(Model model, Dataset data, int batchSize) {
        return new Batches(model, data, batchSize, null, false);
    }

    /** Number of batches; the last may be short. */
    public int count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Reorders the samples at random (Fisher-Yates); call once per epoch to shuffle. */
    public void shuffle() {
        if (rng == null) {
            throw new IllegalStateException("these batches were made without a generator to shuffle with");
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The current order of the samples (a copy), for checkpoints: each shuffle permutes it further. */
    public int[] order() {
        return order.clone();
    }

    /** Sets the order of the samples to one {@link #order()} returned. */
    public void restoreOrder(int[] saved) {
        if (saved.length != order.length) {
            throw new IllegalArgumentException("an order of " + saved.length + " samples, but the data has " + order.length);
        }
        boolean[] seen = new boolean[saved.length];
        for (int i : saved) {
            if (i < 0 || i >= saved.length || seen[i]) {
                throw new IllegalArgumentException("not an order of " + saved.length + " samples: " + i + " is out of range or repeated");
            }
            seen[i] = true;
        }
        System.arraycopy(saved, 0, order, 0, order.length);
    }

    /**
     * Copies batch {@code index} into the model's buffers; returns its number of samples. A float
     * tensor's first batch is rounded from the data set's doubles; from the second batch on, rows
     * are copied from the data set's float copy ({@link Dataset#floats}), made once: loading
     * Fashion-MNIST batches for a float model then took about half the time. One batch read from a
     * large data set (a few samples to check gradients on) does not pay for that copy.
     */
    public int load(int index) {
        int from = index * batchSize;
        int n = Math.min(batchSize, data.size() - from);
        if (index < 0 || n <= 0) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + count());
        }
        loads++;
        for (int k = 0; k < tensors.length; k++) {
            int w = widths[k];
            if (tensors[k].isDouble()) {
                double[] src = columns[k];
                double[] dst = tensors[k].doubles();
                for (int r = 0; r < n; r++) {
                    System.arraycopy(src, order[from + r] * w, dst, r * w, w);
                }
                continue;
            }
            float[] dst = tensors[k].floats();
            if (floatColumns[k] == null && loads > 1) {
                floatColumns[k] = data.floats(tensors[k].name());
            }
            if (floatColumns[k] != null) {
                float[] src = floatColumns[k];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(src, order[from + r] * w, dst, r * w, w);
                }
            } else {
                double[] src = columns[k];
                for (int r = 0; r < n; r++) {
                    int s = order[from + r] * w;
                    int d = r * w;
                    for (int i = 0; i < w; i++) {
                        dst[d + i] = (float) src[s + i];
                    }
                }
            }
        }
        return n;
    }
}
