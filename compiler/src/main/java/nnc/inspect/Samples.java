package nnc.inspect;

import nnc.runtime.Model;
import nnc.runtime.Rng;
import nnc.runtime.Tensor;
import nnc.runtime.data.Batches;
import nnc.runtime.data.Dataset;

/** The inputs the checks run on: random, as the course draws them, or the first rows of a data set. */
public final class Samples {
    private Samples() {}

    /**
     * Fills the first {@code n} samples of the model's inputs and targets with Normal(0, 1) values
     * (a classifier's class target with classes drawn uniformly), reproducibly for a seed.
     */
    public static void random(Model model, int n, long seed, String stream) {
        Rng rng = Rng.forStream(seed, stream);
        for (Tensor t : model.inputs()) {
            for (int i = 0; i < n * t.sampleSize(); i++) {
                t.set(i, rng.nextGaussian());
            }
        }
        boolean first = true;
        for (Tensor t : model.targets()) {
            boolean classes = first && model.classes() > 0;
            for (int i = 0; i < n * t.sampleSize(); i++) {
                t.set(i, classes ? rng.nextInt(model.classes()) : rng.nextGaussian());
            }
            first = false;
        }
    }

    /** Copies the first {@code n} rows of {@code data} (at most its size) into the model; returns how many. */
    public static int from(Model model, Dataset data, int n) {
        return Batches.of(model, data, Math.min(n, data.size()), null).load(0);
    }

    /** "Normal(0, 1) inputs" or "the first 8 rows of builtin:regression". */
    static String describe(Dataset data, int n) {
        return data == null ? n + " random inputs, Normal(0, 1)" : "the first " + n + " rows of " + data.source();
    }
}
