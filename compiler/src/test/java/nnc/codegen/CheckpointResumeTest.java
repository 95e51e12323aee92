package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.InterpretedModel;
import nnc.runtime.Checkpoint;
import nnc.runtime.Model;
import nnc.runtime.Optimizer;
import nnc.runtime.Optimizers;
import nnc.runtime.Rng;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated class and the interpreter with dropout, trained with shuffling and a stateful
 * optimiser: half the epochs, a checkpoint, a fresh model resumed from it, and every epoch's losses
 * are those of the uninterrupted run, to the bit.
 */
class CheckpointResumeTest {
    /** fashion_dropout.nn in small: two dropout layers, a classifier. */
    static final String MODEL = """
            model SmallDropout {
              input  x: [6]
              target y: class(3)
              init weights normal(0, 0.5), biases zeros
              h1 = dropout(relu(dense(x, 16)), 0.2)
              h2 = dropout(relu(dense(h1, 16)), 0.5)
              output logits = dense(h2, 3)
              loss cross_entropy(logits, y)
              train { optimizer sgd(lr: 0.1)  batch 8  epochs 6  shuffle true }
            }
            """;
    private static final int EPOCHS = 6;
    private static final long SEED = 3;

    @TempDir
    Path dir;

    /** {@code n} samples of 6 Gaussian features; the class is the argmax of three fixed sums. */
    static Dataset data(int n, long seed) {
        Rng r = Rng.of(seed);
        double[] x = new double[n * 6];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] s = new double[3];
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = r.nextGaussian();
                s[j % 3] += (j < 3 ? 1 : -0.5) * x[i * 6 + j];
            }
            y[i] = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
        }
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[] {6}, x));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("synthetic", c);
    }

    private static final Map<Precision, Compiler.Result> COMPILED = new java.util.EnumMap<>(Precision.class);

    static synchronized Compiler.Result compile(Precision precision) {
        return COMPILED.computeIfAbsent(precision, CheckpointResumeTest::compileNow);
    }

    private static Compiler.Result compileNow(Precision precision) {
        Reporter r = new Reporter(null);
        Compiler.Result result = Compiler.compile(new Source("small.nn", MODEL),
                Compiler.Options.defaults().withPackage("nnc.resume").withPrecision(precision), r);
        assertNotNull(result, () -> r.diagnostics().toString());
        return result;
    }

    /** A fresh model, as a new process makes it, trained (or resumed) up to {@code epochs}. */
    private static List<double[]> run(Supplier<Model> models, Supplier<Optimizer> optimizer, int epochs, Path save, Path resume,
            Model[] last) {
        Model m = models.get();
        m.initialize(SEED);
        Trainer t = new Trainer(new Trainer.Config(epochs, 8, true, SEED)).saveTo(save);
        if (resume != null) {
            t.resumeFrom(resume);
        }
        List<double[]> losses = new ArrayList<>();
        t.train(m, optimizer.get(), data(45, 1), data(13, 2), new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                losses.add(new double[] {r.trainLoss(), r.validationLoss(), r.trainAccuracy()});
            }
        });
        last[0] = m;
        return losses;
    }

    private void resumesExactly(Supplier<Model> models, Supplier<Optimizer> optimizer) {
        Model[] whole = new Model[1];
        List<double[]> uninterrupted = run(models, optimizer, EPOCHS, dir.resolve("whole.ckpt"), null, whole);
        Path file = dir.resolve("run.ckpt");
        Model[] resumed = new Model[1];
        List<double[]> both = run(models, optimizer, EPOCHS / 2, file, null, resumed);
        both.addAll(run(models, optimizer, EPOCHS, file, file, resumed));
        assertEquals(EPOCHS, both.size());
        for (int e = 0; e < EPOCHS; e++) {
            assertArrayEquals(uninterrupted.get(e), both.get(e), "epoch " + (e + 1) + ": train loss, validation loss, accuracy");
        }
        for (int k = 0; k < whole[0].parameters().size(); k++) {
            var a = whole[0].parameters().get(k).value();
            var b = resumed[0].parameters().get(k).value();
            for (int i = 0; i < a.length(); i++) {
                assertEquals(a.get(i), b.get(i), a.name() + "[" + i + "]");
            }
        }
        assertArrayEquals(whole[0].randomState(), resumed[0].randomState());
        assertNotEquals(uninterrupted.get(EPOCHS / 2)[0], uninterrupted.get(EPOCHS - 1)[0]);
    }

    static Supplier<Optimizer> adam() {
        return () -> Optimizers.create("adam", Map.of("lr", 0.01));
    }

    static Supplier<Optimizer> momentum() {
        return () -> Optimizers.create("sgd", Map.of("lr", 0.05, "momentum", 0.9));
    }

    @Test
    void generatedCodeResumesExactlyWithAdamAndWithMomentum() throws Exception {
        InMemoryJavac.Compiled c = compile(Precision.FLOAT).load();
        Supplier<Model> models = () -> {
            try {
                return c.newModel();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        resumesExactly(models, adam());
        resumesExactly(models, momentum());
    }

    @Test
    void theInterpreterResumesExactly() {
        Compiler.Result r = compile(Precision.DOUBLE);
        resumesExactly(() -> new InterpretedModel(r.optimized(), r.maxBatch(), true), adam());
    }

    @Test
    void theGeneratedGeneratorStateRepeatsTheMasks() throws Exception {
        InMemoryJavac.Compiled c = compile(Precision.FLOAT).load();
        Model m = c.newModel();
        m.initialize(1);
        for (int i = 0; i < 8 * 6; i++) {
            m.inputs().get(0).set(i, Math.sin(i));
        }
        long[] state = m.randomState();
        double first = m.trainStep(8);
        double second = m.trainStep(8); // other masks, same parameters: another loss
        assertNotEquals(first, second);
        m.restoreRandomState(state);
        assertEquals(first, m.trainStep(8));
        Checkpoint.save(dir.resolve("m.ckpt"), m, null);
        Model other = c.newModel();
        Checkpoint.load(dir.resolve("m.ckpt"), other, null);
        assertArrayEquals(m.randomState(), other.randomState());
    }
}
