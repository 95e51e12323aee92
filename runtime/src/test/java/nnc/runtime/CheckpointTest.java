package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading a model's and an optimiser's state, and every way a checkpoint can be wrong. */
class CheckpointTest {
    @TempDir
    Path dir;

    /** A float model after a few Adam steps on data from its own generator: nothing left at its initial value. */
    private static DropoutLinearModel trained(String name, int features, boolean isDouble, Optimizer opt) {
        DropoutLinearModel m = new DropoutLinearModel(name, features, 4, isDouble);
        m.initialize(7);
        Rng data = Rng.of(3);
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 4 * features; i++) {
                m.x.set(i, data.nextGaussian());
            }
            for (int i = 0; i < 4; i++) {
                m.y.set(i, data.nextGaussian());
            }
            m.trainStep(4);
            if (opt != null) {
                opt.step(m.parameters());
            }
        }
        return m;
    }

    private static Optimizer adam() {
        return Optimizers.create("adam", Map.of("lr", 0.01));
    }

    @Test
    void restoresParametersBuffersGeneratorAndOptimiserBitForBit() {
        Optimizer opt = adam();
        DropoutLinearModel a = trained("M", 3, false, opt);
        Path file = dir.resolve("run.ckpt");
        Checkpoint.save(file, a, opt);

        DropoutLinearModel b = new DropoutLinearModel("M", 3, 4, false);
        b.initialize(99);
        Optimizer opt2 = adam();
        Checkpoint c = Checkpoint.load(file, b, opt2);
        assertEquals("M", c.modelName());
        assertEquals(0, c.epoch());
        assertArrayEquals(a.w.floats(), b.w.floats());
        assertArrayEquals(a.b.floats(), b.b.floats());
        assertEquals(20, b.seen.get(0));
        assertArrayEquals(a.randomState(), b.randomState());
        StatefulOptimizer s1 = (StatefulOptimizer) opt;
        StatefulOptimizer s2 = (StatefulOptimizer) opt2;
        assertEquals(5, s2.steps());
        for (int k = 0; k < 2; k++) {
            for (int slot = 0; slot < 2; slot++) {
                assertArrayEquals(s1.state()[k][slot], s2.state()[k][slot]);
            }
        }
        // One more identical step on both stays identical: the state was all there.
        for (DropoutLinearModel m : List.of(a, b)) {
            m.x.fill(0.5);
            m.y.fill(-1);
        }
        a.trainStep(4);
        b.trainStep(4);
        opt.step(a.parameters());
        opt2.step(b.parameters());
        assertArrayEquals(a.w.floats(), b.w.floats());
    }

    @Test
    void doublePrecisionAndPlainSgdAndWeightsOnly() {
        DropoutLinearModel a = trained("D", 2, true, new Sgd(0.1));
        Path file = dir.resolve("d.ckpt");
        Checkpoint.save(file, a, new Sgd(0.25));
        DropoutLinearModel b = new DropoutLinearModel("D", 2, 4, true);
        Sgd sgd = new Sgd(1);
        Checkpoint.load(file, b, sgd);
        assertArrayEquals(a.w.doubles(), b.w.doubles());
        assertEquals(0.25, sgd.learningRate());

        Path weights = dir.resolve("w.ckpt");
        Checkpoint.save(weights, a, null);
        DropoutLinearModel c = new DropoutLinearModel("D", 2, 4, true);
        assertEquals(null, Checkpoint.load(weights, c, null).optimizer());
        assertArrayEquals(a.w.doubles(), c.w.doubles());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(weights).restore(new Sgd(1), c));
        assertEquals(weights + ": error[E604]: saved without an optimiser's state, so training cannot resume from it", e.getMessage());
    }

    @Test
    void optimiserStateBeforeTheFirstStep() {
        DropoutLinearModel a = trained("M", 2, false, null);
        Optimizer fresh = Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9));
        Path file = dir.resolve("fresh.ckpt");
        Checkpoint.save(file, a, fresh);
        StatefulOptimizer restored = (StatefulOptimizer) Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9));
        Checkpoint.load(file, new DropoutLinearModel("M", 2, 4, false), restored);
        assertEquals(0, restored.steps());
        assertEquals(null, restored.state());
    }

    private String failure(Path file, Model model, Optimizer opt) {
        return assertThrows(CheckpointException.class, () -> Checkpoint.load(file, model, opt)).getMessage();
    }

    @Test
    void anotherModelIsRefusedNamingTheDifference() {
        Path file = dir.resolve("run.ckpt");
        Checkpoint.save(file, trained("Regression", 3, false, null), null);
        assertEquals(file + ": error[E603]: saved for model Regression, but this model is Other",
                failure(file, new DropoutLinearModel("Other", 3, 4, false), null));
        assertEquals(file + ": error[E603]: saved for model Regression with w [3], but this model has w [2]",
                failure(file, new DropoutLinearModel("Regression", 2, 4, false), null));
        assertEquals(file + ": error[E603]: saved for model Regression in float precision, but this model computes in double",
                failure(file, new DropoutLinearModel("Regression", 3, 4, true), null));
    }

    /** The saved model's tensors renamed or dropped, through a model that wraps another's lists. */
    private static Model withParameters(Model m, List<Parameter> params) {
        return new DelegatingModel(m) {
            @Override
            public List<Parameter> parameters() {
                return params;
            }
        };
    }

    @Test
    void parametersRenamedMissingOrExtraAreRefused() {
        Path file = dir.resolve("run.ckpt");
        DropoutLinearModel m = trained("M", 3, false, null);
        Checkpoint.save(file, m, null);
        Parameter w = m.parameters().get(0);
        Parameter b = m.parameters().get(1);
        Parameter renamed = new Parameter("v", w.value(), w.grad(), w.init(), 3, 1);
        assertEquals(file + ": error[E603]: saved for model M with parameter w [3], but this model has no parameter w",
                failure(file, withParameters(m, List.of(renamed, b)), null));
        assertEquals(file + ": error[E603]: saved for model M with parameter b [], but this model has no parameter b",
                failure(file, withParameters(m, List.of(w)), null));
        Parameter extra = new Parameter("c", b.value(), b.grad(), b.init(), 1, 1);
        assertEquals(file + ": error[E603]: saved for model M without parameter c [], which this model has",
                failure(file, withParameters(m, List.of(w, b, extra)), null));
        assertEquals(file + ": error[E603]: saved for model M with parameter w in place 1, but this model has b there",
                failure(file, withParameters(m, List.of(b, w)), null));
    }

    @Test
    void anotherOptimiserIsRefused() {
        Optimizer opt = adam();
        DropoutLinearModel m = trained("M", 2, false, opt);
        Path file = dir.resolve("run.ckpt");
        Checkpoint.save(file, m, opt);
        assertEquals(file + ": error[E604]: saved with optimiser adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1.0E-8, weight_decay: 0), "
                + "but this run uses sgd(lr: 0.01)", failure(file, new DropoutLinearModel("M", 2, 4, false), new Sgd(1)));
        Optimizer other = Optimizers.create("adam", Map.of("lr", 0.01, "beta1", 0.8));
        String message = failure(file, new DropoutLinearModel("M", 2, 4, false), other);
        assertEquals(true, message.contains("but this run uses adam(lr: 0.01, beta1: 0.8,"), message);
    }

    @Test
    void missingFolderAndForeignFilesAreRefused() throws IOException {
        Model m = new DropoutLinearModel("M", 2, 4, false);
        Path missing = dir.resolve("nothing.ckpt");
        assertEquals(missing + ": error[E601]: no such file", failure(missing, m, null));
        assertEquals(dir + ": error[E601]: is a folder, not a checkpoint", failure(dir, m, null));
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "x,y\n1,2\n");
        assertEquals(csv + ": error[E602]: not an nnc checkpoint (it does not begin with NNC-CKPT)", failure(csv, m, null));
        Path empty = Files.createFile(dir.resolve("empty.ckpt"));
        assertEquals(empty + ": error[E602]: empty, not a checkpoint", failure(empty, m, null));
    }

    @Test
    void truncatedCorruptedAndNewerFilesAreRefused() throws IOException {
        Path file = dir.resolve("run.ckpt");
        Checkpoint.save(file, trained("M", 3, false, adam()), adam());
        byte[] whole = Files.readAllBytes(file);
        Model m = new DropoutLinearModel("M", 3, 4, false);

        Path cut = dir.resolve("cut.ckpt");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertEquals(cut + ": error[E602]: truncated: " + whole.length / 2 + " bytes of the " + whole.length + " its header announces",
                failure(cut, m, null));
        Files.write(cut, Arrays.copyOf(whole, 5));
        assertEquals(cut + ": error[E602]: truncated: 5 bytes, too short for a checkpoint's header", failure(cut, m, null));

        Path longer = dir.resolve("longer.ckpt");
        Files.write(longer, Arrays.copyOf(whole, whole.length + 1));
        assertEquals(longer + ": error[E602]: corrupted: " + (whole.length + 1) + " bytes, but its header announces " + whole.length,
                failure(longer, m, null));

        // Any single changed byte of the body or the checksum is caught.
        Path flipped = dir.resolve("flipped.ckpt");
        for (int at : new int[] {20, whole.length / 2, whole.length - 5, whole.length - 1}) {
            byte[] b = whole.clone();
            b[at] ^= 0x10;
            Files.write(flipped, b);
            assertEquals(flipped + ": error[E602]: corrupted: its checksum does not match its content", failure(flipped, m, null), "byte " + at);
        }

        byte[] newer = whole.clone();
        newer[11] = 2;
        Path future = dir.resolve("future.ckpt");
        Files.write(future, newer);
        assertEquals(future + ": error[E602]: checkpoint format version 2, but this nnc reads version 1", failure(future, m, null));
    }

    @Test
    void writingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("run.ckpt");
        DropoutLinearModel m = trained("M", 2, false, null);
        Checkpoint.save(file, m, null);
        byte[] first = Files.readAllBytes(file);
        m.w.set(0, 42);
        Checkpoint.save(file, m, null);
        assertNotEquals(Arrays.toString(first), Arrays.toString(Files.readAllBytes(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("run.ckpt"), files.map(p -> p.getFileName().toString()).toList());
        }
        DropoutLinearModel back = new DropoutLinearModel("M", 2, 4, false);
        Checkpoint.load(file, back, null);
        assertEquals(42, back.w.get(0));
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedWithItsName() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x", StandardCharsets.UTF_8);
        Path file = blocker.resolve("run.ckpt");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoint.save(file, trained("M", 2, false, null), null));
        assertEquals(true, e.getMessage().startsWith(file + ": error[E601]: cannot write it: "), e.getMessage());
    }
}
