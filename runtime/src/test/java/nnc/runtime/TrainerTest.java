package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** y = 3x - 1 on n points. */
    static Dataset line(int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / (double) n - 0.5;
            y[i] = 3 * x[i] - 1;
        }
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[0], x));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("line", c);
    }

    @Test
    void trainingFitsALineAndReportsEveryEpoch() {
        LinearModel m = new LinearModel(8);
        List<Trainer.EpochResult> epochs = new ArrayList<>();
        Trainer.Summary s = new Trainer(new Trainer.Config(200, 8, true, 1))
                .train(m, new Sgd(0.5), line(50), line(10), new TrainingListener() {
                    @Override
                    public void onEpoch(Trainer.EpochResult r) {
                        epochs.add(r);
                    }
                });
        assertEquals(200, epochs.size());
        assertEquals(3, m.w[0], 1e-3);
        assertEquals(-1, m.b[0], 1e-3);
        assertTrue(s.finalTrainLoss() < 1e-6 * s.initialTrainLoss(), s.toString());
        assertTrue(epochs.get(199).validationLoss() < 1e-6);
    }

    @Test
    void evaluateIsTheSampleWeightedMeanOverBatches() {
        LinearModel m = new LinearModel(4);
        m.w[0] = 1;
        Dataset d = line(10); // batches of 4, 4 and 2
        double expected = 0;
        double[] x = d.data("x");
        double[] y = d.data("y");
        for (int i = 0; i < 10; i++) {
            expected += (x[i] - y[i]) * (x[i] - y[i]);
        }
        assertEquals(expected / 10, Trainer.evaluate(m, d, 4), 1e-12);
    }

    @Test
    void zeroEpochsOnlyEvaluates() {
        LinearModel m = new LinearModel(4);
        Trainer.Summary s = new Trainer(new Trainer.Config(0, 4, false, 0)).train(m, new Sgd(1), line(6), null, new TrainingListener() {});
        assertEquals(s.initialTrainLoss(), s.finalTrainLoss());
        assertTrue(Double.isNaN(s.finalValidationLoss()));
    }

    /** Bytes this thread allocates to train {@code epochs} epochs of 1000 batches of one sample. */
    static long allocatedBytes(int epochs, Dataset data, long[] batchesSeen) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        LinearModel m = new LinearModel(1);
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onBatch(int batchesDone, int samplesDone, double runningLoss) {
                batchesSeen[0]++;
            }
        };
        Trainer t = new Trainer(new Trainer.Config(epochs, 1, true, 0)).schedule(new Schedules.Step(1, 0.999), 0.01);
        Optimizer sgd = new Sgd(0.01);
        long before = threads.getThreadAllocatedBytes(id);
        t.train(m, sgd, data, null, TrainingListener.all(counter, new TrainingListener() {}));
        return threads.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void theTrainingLoopAndItsPerBatchHookAllocateNothingPerBatch() {
        Dataset data = line(1000);
        long[] batches = new long[1];
        allocatedBytes(20, data, batches); // warm up the JIT
        batches[0] = 0;
        long few = allocatedBytes(2, data, batches);
        long many = allocatedBytes(22, data, batches);
        assertEquals(24_000, batches[0]);
        // 20 more epochs are 20,000 more batches: even one object per batch would be 16 bytes each,
        // 320,000 in all; what an epoch allocates (its result, the schedule's rates) is far less.
        assertTrue(many - few < 20 * 1_000, (many - few) + " more bytes for 20,000 more batches");
    }
}
