package nnc.interp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Sgd;
import nnc.runtime.Tensor;

/**
 * Holds a generated model against the interpreter running the same graph: the same parameters and
 * data go into both, and outputs, loss, every gradient and the parameters after some SGD steps
 * must agree. Errors are normwise: the largest elementwise difference over the largest magnitude
 * of the reference tensor.
 */
public final class Differential {
    private Differential() {}

    /** A disagreement, for the failure message. */
    public record Mismatch(String what, int batch, double relativeError, String detail) {
        @Override
        public String toString() {
            return what + " at batch " + batch + ": relative error " + relativeError + " (" + detail + ")";
        }
    }

    /**
     * Float code held against the exact mathematics: {@code exact} is the interpreter in double,
     * {@code inFloat} in float. A mismatch above {@code tolerance} counts only where the generated
     * code is also further from the exact value than the interpreter computing in float: where a
     * quantity cancels (a bias before batch normalisation), float arithmetic itself misses 1e-5, and
     * code that sums in another order (fused multiply-adds) would otherwise be charged twice.
     */
    public static List<Mismatch> compareInFloat(Model generated, Model inFloat, Model exact, int[] batches, int steps,
            double tolerance, long seed) {
        java.util.Map<String, Double> floor = new java.util.HashMap<>();
        for (Mismatch m : compare(inFloat, exact, batches, steps, 0, seed)) {
            floor.put(m.what() + "@" + m.batch(), m.relativeError());
        }
        List<Mismatch> bad = new ArrayList<>();
        for (Mismatch m : compare(generated, exact, batches, steps, tolerance, seed)) {
            if (!(m.relativeError() <= floor.getOrDefault(m.what() + "@" + m.batch(), 0.0))) {
                bad.add(m);
            }
        }
        return bad;
    }

    /**
     * Compares {@code generated} with {@code reference} at the batch sizes given; returns every
     * mismatch above {@code tolerance} (an empty list when they agree).
     */
    public static List<Mismatch> compare(Model generated, Model reference, int[] batches, int steps, double tolerance, long seed) {
        List<Mismatch> bad = new ArrayList<>();
        for (int batch : batches) {
            generated.initialize(seed);
            reference.initialize(seed); // seeds the dropout masks the same way
            copyParameters(generated, reference);
            Random random = new Random(seed * 31 + batch);
            fill(generated, reference, batch, random);
            generated.infer(batch);
            reference.infer(batch);
            for (int k = 0; k < generated.outputs().size(); k++) {
                check(bad, "output " + generated.outputs().get(k).name(), batch, generated.outputs().get(k),
                        reference.outputs().get(k), tolerance);
            }
            double lg = generated.trainStep(batch);
            double lr = reference.trainStep(batch);
            double lossError = Math.abs(lg - lr) / Math.max(Math.abs(lr), Double.MIN_NORMAL);
            if (!(lossError <= tolerance)) {
                bad.add(new Mismatch("loss", batch, lossError, lg + " vs " + lr));
            }
            for (int k = 0; k < generated.parameters().size(); k++) {
                Parameter g = generated.parameters().get(k);
                check(bad, "gradient of " + g.name(), batch, g.grad(), reference.parameters().get(k).grad(), tolerance);
            }
            // Training steps, each on fresh data; SGD on both.
            Sgd sgd = new Sgd(0.01);
            for (int s = 0; s < steps; s++) {
                fill(generated, reference, batch, random);
                generated.trainStep(batch);
                reference.trainStep(batch);
                sgd.step(generated.parameters());
                sgd.step(reference.parameters());
            }
            for (int k = 0; k < generated.parameters().size(); k++) {
                Parameter g = generated.parameters().get(k);
                check(bad, g.name() + " after " + steps + " steps", batch, g.value(), reference.parameters().get(k).value(), tolerance);
            }
        }
        return bad;
    }

    private static void copyParameters(Model from, Model to) {
        for (int k = 0; k < from.parameters().size(); k++) {
            to.parameters().get(k).value().copyFrom(from.parameters().get(k).value());
        }
    }

    /** Uniform values in [-1, 1], the same into both models (rounded to the generated precision). */
    private static void fill(Model generated, Model reference, int batch, Random random) {
        List<Tensor> g = new ArrayList<>(generated.inputs());
        g.addAll(generated.targets());
        List<Tensor> r = new ArrayList<>(reference.inputs());
        r.addAll(reference.targets());
        int labels = generated.inputs().size(); // the first target holds class indices in a classifier
        for (int k = 0; k < g.size(); k++) {
            Tensor t = g.get(k);
            for (int i = 0; i < batch * t.sampleSize(); i++) {
                t.set(i, k == labels && generated.classes() > 0 ? random.nextInt(generated.classes()) : 2 * random.nextDouble() - 1);
                r.get(k).set(i, t.get(i));
            }
        }
    }

    private static void check(List<Mismatch> bad, String what, int batch, Tensor actual, Tensor expected, double tolerance) {
        int length = actual.isBatched() ? batch * actual.sampleSize() : actual.length();
        double scale = 0;
        double worst = 0;
        int at = 0;
        for (int i = 0; i < length; i++) {
            scale = Math.max(scale, Math.abs(expected.get(i)));
            double d = Math.abs(actual.get(i) - expected.get(i));
            if (!(d <= worst)) { // NaN counts as worst
                worst = d;
                at = i;
            }
        }
        double error = worst == 0 ? 0 : worst / Math.max(scale, Double.MIN_NORMAL);
        if (!(error <= tolerance)) {
            bad.add(new Mismatch(what, batch, error, "element " + at + ": " + actual.get(at) + " vs " + expected.get(at)));
        }
    }
}
