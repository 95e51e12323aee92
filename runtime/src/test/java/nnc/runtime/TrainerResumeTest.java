package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training interrupted after half its epochs and resumed from the checkpoint gives every later
 * epoch the loss the uninterrupted run had, to the bit: with shuffling, a model that draws dropout
 * masks, and optimisers with state.
 */
class TrainerResumeTest {
    private static final int EPOCHS = 8;
    private static final long SEED = 5;

    @TempDir
    Path dir;

    /** y = x . (1, -2, 0.5, 3) + 0.25 + noise, for {@code n} samples of 4 features. */
    static Dataset data(int n, long seed) {
        Rng r = Rng.of(seed);
        double[] x = new double[n * 4];
        double[] y = new double[n];
        double[] w = {1, -2, 0.5, 3};
        for (int i = 0; i < n; i++) {
            y[i] = 0.25 + 0.1 * r.nextGaussian();
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = r.nextGaussian();
                y[i] += w[j] * x[i * 4 + j];
            }
        }
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[] {4}, x));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("synthetic", c);
    }

    /** A fresh model and optimiser, as a new process would make them, then {@code epochs} of training. */
    private List<Trainer.EpochResult> run(Supplier<Optimizer> optimizer, int epochs, boolean shuffle, Path save, Path resume,
            DropoutLinearModel[] last) {
        DropoutLinearModel m = new DropoutLinearModel("Noisy", 4, 8, false);
        m.initialize(SEED);
        List<Trainer.EpochResult> results = new ArrayList<>();
        Trainer t = new Trainer(new Trainer.Config(epochs, 8, shuffle, SEED));
        if (save != null) {
            t.saveTo(save);
        }
        if (resume != null) {
            t.resumeFrom(resume);
        }
        t.train(m, optimizer.get(), data(37, 1), data(11, 2), new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                results.add(r);
            }
        });
        last[0] = m;
        return results;
    }

    private void resumesExactly(Supplier<Optimizer> optimizer, boolean shuffle) {
        DropoutLinearModel[] whole = new DropoutLinearModel[1];
        List<Trainer.EpochResult> uninterrupted = run(optimizer, EPOCHS, shuffle, null, null, whole);

        Path file = dir.resolve("run.ckpt");
        DropoutLinearModel[] half = new DropoutLinearModel[1];
        List<Trainer.EpochResult> first = run(optimizer, EPOCHS / 2, shuffle, file, null, half);
        assertEquals(EPOCHS / 2, Checkpoint.read(file).epoch());
        DropoutLinearModel[] resumed = new DropoutLinearModel[1];
        List<Trainer.EpochResult> second = run(optimizer, EPOCHS, shuffle, file, file, resumed);

        List<Trainer.EpochResult> both = new ArrayList<>(first);
        both.addAll(second);
        assertEquals(EPOCHS, both.size());
        for (int e = 0; e < EPOCHS; e++) {
            Trainer.EpochResult a = uninterrupted.get(e);
            Trainer.EpochResult b = both.get(e);
            assertEquals(a.epoch(), b.epoch());
            // Bit for bit: assertEquals on doubles compares with Double.equals.
            assertEquals(a.trainLoss(), b.trainLoss(), "train loss of epoch " + (e + 1));
            assertEquals(a.validationLoss(), b.validationLoss(), "validation loss of epoch " + (e + 1));
            assertEquals(a.learningRate(), b.learningRate());
        }
        assertArrayEquals(whole[0].w.floats(), resumed[0].w.floats());
        assertArrayEquals(whole[0].randomState(), resumed[0].randomState());
        assertEquals(37.0 * EPOCHS, resumed[0].seen.get(0)); // the buffer came through the checkpoint
        assertEquals(EPOCHS, Checkpoint.read(file).epoch());
        // Not trivially equal: the epochs differ from each other.
        assertNotEquals(uninterrupted.get(EPOCHS - 1).trainLoss(), uninterrupted.get(EPOCHS / 2).trainLoss());
    }

    @Test
    void adamWithShuffling() {
        resumesExactly(() -> Optimizers.create("adam", Map.of("lr", 0.05)), true);
    }

    @Test
    void sgdWithMomentumWithShuffling() {
        resumesExactly(() -> Optimizers.create("sgd", Map.of("lr", 0.01, "momentum", 0.9, "nesterov", 1.0)), true);
    }

    @Test
    void plainSgdInOrder() {
        resumesExactly(() -> new Sgd(0.02), false);
    }

    @Test
    void withoutTheCheckpointTheResumedRunWouldDiffer() {
        // The check above can fail: starting the second half from the half-trained weights alone,
        // without optimiser state and generators, changes the losses.
        Path file = dir.resolve("run.ckpt");
        Supplier<Optimizer> adam = () -> Optimizers.create("adam", Map.of("lr", 0.05));
        DropoutLinearModel[] m = new DropoutLinearModel[1];
        List<Trainer.EpochResult> whole = run(adam, EPOCHS, true, null, null, m);
        run(adam, EPOCHS / 2, true, file, null, m);
        DropoutLinearModel fresh = new DropoutLinearModel("Noisy", 4, 8, false);
        Checkpoint.load(file, fresh, null);
        List<Double> losses = new ArrayList<>();
        new Trainer(new Trainer.Config(EPOCHS / 2, 8, true, SEED)).train(fresh, adam.get(), data(37, 1), null, new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                losses.add(r.trainLoss());
            }
        });
        assertNotEquals(whole.get(EPOCHS / 2).trainLoss(), losses.get(0));
    }

    @Test
    void resumingAFinishedRunTrainsNothingMore() {
        Path file = dir.resolve("run.ckpt");
        Supplier<Optimizer> sgd = () -> new Sgd(0.02);
        DropoutLinearModel[] m = new DropoutLinearModel[1];
        run(sgd, 3, true, file, null, m);
        float[] w = m[0].w.floats().clone();
        List<Trainer.EpochResult> again = run(sgd, 3, true, file, file, m);
        assertEquals(0, again.size());
        assertArrayEquals(w, m[0].w.floats());
        assertEquals(3, Checkpoint.read(file).epoch());
    }

    @Test
    void otherTrainingDataIsRefused() {
        Path file = dir.resolve("run.ckpt");
        run(() -> new Sgd(0.02), 2, true, file, null, new DropoutLinearModel[1]);
        DropoutLinearModel m = new DropoutLinearModel("Noisy", 4, 8, false);
        CheckpointException e = assertThrows(CheckpointException.class, () -> new Trainer(new Trainer.Config(4, 8, true, SEED))
                .resumeFrom(file).train(m, new Sgd(0.02), data(30, 1), null, new TrainingListener() {}));
        assertEquals(file + ": error[E604]: saved while training on 37 samples, but this run's training data has 30", e.getMessage());
    }

    @Test
    void anotherScheduleIsRefused() {
        Path file = dir.resolve("run.ckpt");
        DropoutLinearModel m = new DropoutLinearModel("Noisy", 4, 8, false);
        m.initialize(SEED);
        Schedule halving = Schedules.create("exponential", Map.of("gamma", 0.5));
        new Trainer(new Trainer.Config(2, 8, true, SEED)).schedule(halving, 0.1).saveTo(file)
                .train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {});
        String[] messages = new String[3];
        Schedule[] schedules = {Schedules.create("step", Map.of("step_size", 2.0)), halving, null};
        double[] bases = {0.1, 0.2, 0.1};
        for (int k = 0; k < 3; k++) {
            Trainer t = new Trainer(new Trainer.Config(4, 8, true, SEED)).schedule(schedules[k], bases[k]).resumeFrom(file);
            messages[k] = assertThrows(CheckpointException.class,
                    () -> t.train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {})).getMessage();
        }
        assertEquals(file + ": error[E604]: saved with schedule exponential(gamma: 0.5) from rate 0.1, but this run uses step(step_size: 2, "
                + "gamma: 0.1) from rate 0.1", messages[0]);
        assertEquals(file + ": error[E604]: saved with schedule exponential(gamma: 0.5) from rate 0.1, but this run uses exponential(gamma: 0.5) "
                + "from rate 0.2", messages[1]);
        assertEquals(file + ": error[E604]: saved with schedule exponential(gamma: 0.5) from rate 0.1, but this run has none", messages[2]);
        // The same schedule resumes, and without a schedule a checkpoint saved without one does too.
        new Trainer(new Trainer.Config(4, 8, true, SEED)).schedule(halving, 0.1).resumeFrom(file)
                .train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {});
        Path plain = dir.resolve("plain.ckpt");
        new Trainer(new Trainer.Config(1, 8, true, SEED)).saveTo(plain).train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {});
        assertEquals(plain + ": error[E604]: saved without a learning-rate schedule, but this run uses exponential(gamma: 0.5) from rate 0.1",
                assertThrows(CheckpointException.class, () -> new Trainer(new Trainer.Config(2, 8, true, SEED)).schedule(halving, 0.1)
                        .resumeFrom(plain).train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {})).getMessage());
    }

    @Test
    void aWeightsOnlyCheckpointCannotBeResumed() {
        Path file = dir.resolve("weights.ckpt");
        DropoutLinearModel m = new DropoutLinearModel("Noisy", 4, 8, false);
        Checkpoint.save(file, m, new Sgd(0.1));
        CheckpointException e = assertThrows(CheckpointException.class, () -> new Trainer(new Trainer.Config(4, 8, true, SEED))
                .resumeFrom(file).train(m, new Sgd(0.1), data(37, 1), null, new TrainingListener() {}));
        assertEquals(file + ": error[E604]: saved outside a training run: it holds no epoch to resume from", e.getMessage());
    }
}
