package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training stops at the batch where the loss, a gradient or a parameter stops being finite. */
class TrainerNonFiniteTest {
    @TempDir
    Path dir;

    static Dataset withTarget(int at, double value) {
        Dataset line = TrainerTest.line(20);
        double[] y = line.data("y").clone();
        y[at] = value;
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[0], line.data("x")));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("line", c);
    }

    @Test
    void anInfiniteLossStopsAtItsBatchAndAsksTheExplainerWithTheLastGoodParameters() {
        LinearModel m = new LinearModel(4);
        double[] seen = new double[2];
        Trainer t = new Trainer(new Trainer.Config(3, 4, false, 1)).explainNonFinite((model, n) -> {
            seen[0] = n;
            seen[1] = model.inputs().get(0).get(1); // the failing batch is still loaded
            return "explained";
        });
        // Sample 13 is in the fourth batch of four; its square overflows.
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> t.train(m, new Sgd(0.1), withTarget(13, 1e200), null, new TrainingListener() {}));
        assertEquals("training stopped at epoch 1, batch 4 of 5: the loss is Infinity; explained", e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(4, e.batch());
        assertEquals(4, seen[0]);
        assertEquals(TrainerTest.line(20).data("x")[13], seen[1]);
        assertTrue(Double.isFinite(m.w[0]) && Double.isFinite(m.b[0]), "the update was not applied");
    }

    @Test
    void aDivergingRunKeepsTheCheckpointOfItsLastGoodEpoch() {
        Path file = dir.resolve("run.ckpt");
        LinearModel m = new LinearModel(4);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> new Trainer(new Trainer.Config(1000, 4, false, 1))
                .saveTo(file).train(m, new Sgd(200), TrainerTest.line(20), null, new TrainingListener() {}));
        assertTrue(e.epoch() > 1, e.getMessage());
        assertTrue(e.getMessage().startsWith("training stopped at epoch " + e.epoch() + ", batch " + e.batch() + " of 5: "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; the checkpoint " + file + " keeps the last good state, after epoch "
                + (e.epoch() - 1)), e.getMessage());
        Checkpoint c = Checkpoint.read(file);
        assertEquals(e.epoch() - 1, c.epoch());
        LinearModel restored = new LinearModel(4);
        c.restore(restored);
        assertTrue(Double.isFinite(restored.w[0]) && Double.isFinite(restored.b[0]));
        assertTrue(Files.exists(file));
    }
}
