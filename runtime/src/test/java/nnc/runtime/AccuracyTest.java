package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Accuracy of classifiers: {@link Trainer#accuracy} and the figures the training loop reports. */
class AccuracyTest {
    /** Class c of three is a blob around CENTERS[c] in the plane. */
    static final double[][] CENTERS = {{0, 3}, {3, 0}, {-3, -3}};

    static Dataset blobs(int n, double std, long seed) {
        Rng rng = Rng.of(seed);
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = CENTERS[c][0] + std * rng.nextGaussian();
            x[2 * i + 1] = CENTERS[c][1] + std * rng.nextGaussian();
        }
        return data(x, y);
    }

    static Dataset data(double[] x, double[] y) {
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[] {2}, x));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("blobs", c);
    }

    /** Scores x0 for class 0, x1 for class 1, nothing for class 2. */
    static void pickCoordinates(ClassifierModel m) {
        m.w.fill(0);
        m.b.fill(0);
        m.w.set(0, 1); // w[0][0]
        m.w.set(4, 1); // w[1][1]
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void accuracyIsTheArgmaxAgainstTheClassIndex(boolean isDouble) {
        ClassifierModel m = new ClassifierModel(2, 3, 2, isDouble);
        pickCoordinates(m);
        // Scores (x0, x1, 0): argmax 0, 1, 2, 0, 1; labels 0, 1, 2, 1, 2: three right of five.
        Dataset d = data(new double[] {5, 1, 1, 5, -1, -2, 3, 2, 0, 4}, new double[] {0, 1, 2, 1, 2});
        assertEquals(0.6, Trainer.accuracy(m, d, 2));
        assertEquals(0.6, Trainer.accuracy(m, d, 5)); // the batch is capped at the model's maximum
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tiesGoToTheLowestIndex(boolean isDouble) {
        ClassifierModel m = new ClassifierModel(2, 3, 4, isDouble);
        pickCoordinates(m);
        // Scores (2, 2, 0) -> 0; (0, 0, 0) -> 0; (-1, 0, 0) -> 1; (-1, -1, 0) -> 2.
        Dataset d = data(new double[] {2, 2, 0, 0, -1, 0, -1, -1}, new double[] {0, 0, 1, 2});
        assertEquals(1.0, Trainer.accuracy(m, d, 4));
        Dataset wrong = data(new double[] {2, 2, 0, 0, -1, 0, -1, -1}, new double[] {1, 2, 2, 1});
        assertEquals(0.0, Trainer.accuracy(m, wrong, 4));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainingReportsAccuracyPerEpochAndAtTheEnd(boolean isDouble) {
        ClassifierModel m = new ClassifierModel(2, 3, 16, isDouble);
        Dataset train = blobs(300, 0.5, 1);
        Dataset validation = blobs(90, 0.5, 2);
        List<Trainer.EpochResult> epochs = new ArrayList<>();
        Trainer.Summary s = new Trainer(new Trainer.Config(20, 16, true, 3)).train(m, new Sgd(0.1), train, validation,
                new TrainingListener() {
                    @Override
                    public void onEpoch(Trainer.EpochResult r) {
                        epochs.add(r);
                    }
                });
        for (Trainer.EpochResult r : epochs) {
            assertTrue(r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, r.toString());
            assertTrue(r.validationAccuracy() >= 0 && r.validationAccuracy() <= 1, r.toString());
        }
        assertTrue(epochs.get(19).trainAccuracy() > 0.97, epochs.get(19).toString());
        assertTrue(s.finalValidationAccuracy() > 0.97, s.toString());
        assertEquals(Trainer.accuracy(m, train, 7), s.finalTrainAccuracy());
        assertEquals(Trainer.accuracy(m, validation, 16), s.finalValidationAccuracy());
        assertEquals(Trainer.accuracy(m, validation, 16), epochs.get(19).validationAccuracy());
    }

    @Test
    void theTrainingAccuracyIsTakenBeforeTheOptimiserStep() {
        // One batch of everything, all parameters zero: every score ties, every prediction is class 0,
        // so the epoch's training accuracy is the share of class 0 even though the step changes that.
        ClassifierModel m = new ClassifierModel(2, 3, 30, true);
        Dataset train = blobs(30, 0.5, 4);
        List<Trainer.EpochResult> epochs = new ArrayList<>();
        Trainer.Summary s = new Trainer(new Trainer.Config(1, 30, false, 0)).train(m, new Sgd(1), train, null, new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                epochs.add(r);
            }
        });
        assertEquals(1 / 3.0, epochs.get(0).trainAccuracy(), 1e-15);
        assertNotEquals(epochs.get(0).trainAccuracy(), s.finalTrainAccuracy());
        assertTrue(s.finalTrainAccuracy() > 0.9, s.toString());
        assertTrue(Double.isNaN(epochs.get(0).validationAccuracy()));
        assertTrue(Double.isNaN(s.finalValidationAccuracy()));
    }

    @Test
    void modelsThatAreNotClassifiersHaveNoAccuracy() {
        LinearModel m = new LinearModel(4);
        List<Trainer.EpochResult> epochs = new ArrayList<>();
        Trainer.Summary s = new Trainer(new Trainer.Config(2, 4, false, 0)).train(m, new Sgd(0.1), TrainerTest.line(8),
                TrainerTest.line(4), new TrainingListener() {
                    @Override
                    public void onEpoch(Trainer.EpochResult r) {
                        epochs.add(r);
                    }
                });
        assertTrue(Double.isNaN(epochs.get(1).trainAccuracy()) && Double.isNaN(epochs.get(1).validationAccuracy()));
        assertTrue(Double.isNaN(s.finalTrainAccuracy()) && Double.isNaN(s.finalValidationAccuracy()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.accuracy(m, TrainerTest.line(4), 4));
        assertEquals("model Linear is not a classifier: it has no accuracy", e.getMessage());
    }

    @Test
    void aModelWhoseBuffersDoNotFitItsClassesIsRefused() {
        ClassifierModel m = new ClassifierModel(2, 3, 4, true, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.accuracy(m, blobs(6, 1, 0), 4));
        assertEquals("model Classifier says it has 4 classes, but its output logits[batch, 3] does not hold 4 scores per class"
                + " index of its target y[batch]", e.getMessage());
    }

    @Test
    void measuringAccuracyAllocatesNothingPerBatch() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ClassifierModel m = new ClassifierModel(2, 3, 1, false);
        Dataset few = blobs(10, 0.5, 5);
        Dataset many = blobs(2000, 0.5, 5);
        Trainer trainer = new Trainer(new Trainer.Config(1, 1, true, 0));
        TrainingListener quiet = new TrainingListener() {};
        for (int i = 0; i < 5; i++) { // warm up, so that both runs take the same paths
            trainer.train(m, new Sgd(0.1), few, few, quiet);
            trainer.train(m, new Sgd(0.1), many, many, quiet);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        trainer.train(m, new Sgd(0.1), few, few, quiet);
        long fewBytes = threads.getCurrentThreadAllocatedBytes() - before;
        before = threads.getCurrentThreadAllocatedBytes();
        trainer.train(m, new Sgd(0.1), many, many, quiet);
        long manyBytes = threads.getCurrentThreadAllocatedBytes() - before;
        // 1,990 more batches, each trained, evaluated and scored: only the sample order of
        // the training and validation batches (an int per sample) may grow, not anything per batch.
        assertTrue(manyBytes - fewBytes < 2 * 4 * 2000 + 1024, "few " + fewBytes + " B, many " + manyBytes + " B");
    }
}
