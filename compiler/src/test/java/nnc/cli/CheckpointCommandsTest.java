package nnc.cli;

import static nnc.cli.MainTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train --save/--resume} and {@code nnc predict}, run in process. */
class CheckpointCommandsTest {
    @TempDir
    Path dir;

    /** fashion_dropout.nn in small, shuffled. */
    static final String DROPOUT = """
            model SmallDropout {
              input  x: [4]
              target y: class(3)
              init weights normal(0, 0.5), biases zeros
              h1 = dropout(relu(dense(x, 12)), 0.2)
              h2 = dropout(relu(dense(h1, 12)), 0.5)
              output logits = dense(h2, 3)
              loss cross_entropy(logits, y)
              train { optimizer adam(lr: 0.01)  batch 8  epochs 6  shuffle true  seed 4 }
            }
            """;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** {@code n} samples of 4 features and the class of the largest of the first three. */
    Path classes(String name, int n, long seed) throws IOException {
        Rng r = Rng.of(seed);
        StringBuilder csv = new StringBuilder("x[0],x[1],x[2],x[3],y\n");
        for (int i = 0; i < n; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            int y = x[0] >= x[1] && x[0] >= x[2] ? 0 : x[1] >= x[2] ? 1 : 2;
            csv.append(x[0]).append(',').append(x[1]).append(',').append(x[2]).append(',').append(x[3]).append(',').append(y).append('\n');
        }
        return write(name, csv.toString());
    }

    /** The epoch events of a --json run, without their wall times. */
    static List<String> epochs(MainTest.Run r) {
        assertEquals(0, r.code(), r.err());
        List<String> e = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            if (line.startsWith("{\"event\":\"epoch\"")) {
                // The first run plans fewer epochs: "epochs" differs, the figures must not.
                e.add(line.replaceAll(",\"seconds\":[^,}]*", "").replaceAll(",\"epochs\":\\d+", ""));
            }
        }
        return e;
    }

    private void resumesExactly(String... optimizer) throws IOException {
        String nn = write("small.nn", DROPOUT).toString();
        String data = classes("train.csv", 45, 1).toString();
        String validation = classes("val.csv", 13, 2).toString();
        List<String> common = new ArrayList<>(List.of("train", nn, "--data", data, "--validation", validation, "--json"));
        common.addAll(Arrays.asList(optimizer));
        List<String> whole = epochs(nnc(with(common, "--epochs", "6")));
        String ckpt = dir.resolve("run.ckpt").toString();
        List<String> first = epochs(nnc(with(common, "--epochs", "3", "--save", ckpt)));
        MainTest.Run resumed = nnc(with(common, "--epochs", "6", "--save", ckpt, "--resume", ckpt));
        assertTrue(resumed.out().lines().findFirst().orElseThrow().endsWith(",\"resumed_from_epoch\":3}"), resumed.out());
        List<String> both = new ArrayList<>(first);
        both.addAll(epochs(resumed));
        assertEquals(6, whole.size());
        // Losses and accuracies are printed in full (Double.toString), so equal text is equal bits.
        assertEquals(whole, both);
        assertNotEquals(whole.get(3).replaceAll("\"epoch\":\\d+", ""), whole.get(5).replaceAll("\"epoch\":\\d+", ""));
    }

    static String[] with(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    @Test
    void resumingGivesTheUninterruptedRunsEpochsWithAdam() throws IOException {
        resumesExactly();
    }

    @Test
    void resumingGivesTheUninterruptedRunsEpochsWithMomentum() throws IOException {
        resumesExactly("--optimizer", "sgd(lr: 0.05, momentum: 0.9)");
    }

    @Test
    void resumingKeepsTheScheduleOfTheUninterruptedRun() throws IOException {
        // The epoch events carry each epoch's learning rate: the schedule goes on from the base rate.
        resumesExactly("--schedule", "exponential(0.5)", "--warmup", "2");
    }

    @Test
    void textOutputSaysWhereItResumes() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        String ckpt = dir.resolve("line.ckpt").toString();
        assertEquals(0, nnc("train", nn, "--data", "builtin:regression", "--epochs", "2", "--save", ckpt).code());
        MainTest.Run r = nnc("train", nn, "--data", "builtin:regression", "--epochs", "5", "--save", ckpt, "--resume", ckpt);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("resuming " + ckpt + ": 2 of 5 epochs done", lines.get(1));
        assertTrue(lines.get(2).startsWith("epoch 3/5  train loss "), r.out());
    }

    @Test
    void aResumedRunKeepsTheEarlierEpochsInItsHistory() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        String ckpt = dir.resolve("line.ckpt").toString();
        String whole = dir.resolve("whole.csv").toString();
        String parts = dir.resolve("parts.csv").toString();
        String[] common = {"train", nn, "--data", "builtin:regression", "--shuffle"};
        assertEquals(0, nnc(with(List.of(common), "--epochs", "4", "--history", whole)).code());
        assertEquals(0, nnc(with(List.of(common), "--epochs", "2", "--history", parts, "--save", ckpt)).code());
        MainTest.Run r = nnc(with(List.of(common), "--epochs", "4", "--history", parts, "--save", ckpt, "--resume", ckpt));
        assertEquals(0, r.code(), r.err());
        assertEquals(withoutSeconds(Files.readString(Path.of(whole))), withoutSeconds(Files.readString(Path.of(parts))));
        assertEquals(5, Files.readString(Path.of(parts)).lines().count());
    }

    /** A history's text without its last column, the wall time. */
    static String withoutSeconds(String csv) {
        return csv.lines().map(l -> l.substring(0, l.lastIndexOf(','))).toList().toString();
    }

    /** One line on stderr, the given exit code, nothing like a stack trace. */
    static void assertOneLineError(MainTest.Run r, int code, String message) {
        assertEquals(code, r.code(), r.err());
        assertEquals(message + "\n", r.err());
    }

    @Test
    void resumingFromAWrongFileFailsInOneLine() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        Path ckpt = dir.resolve("line.ckpt");
        assertEquals(0, nnc("train", nn, "--data", "builtin:regression", "--epochs", "1", "--save", ckpt.toString()).code());
        String[] resume = {"train", nn, "--data", "builtin:regression", "--epochs", "2", "--resume"};

        assertOneLineError(nnc(with(List.of(resume), dir.resolve("none.ckpt").toString())), 66, dir.resolve("none.ckpt") + ": error[E601]: no such file");
        Path csv = write("x.csv", "x,y\n1,2\n");
        assertOneLineError(nnc(with(List.of(resume), csv.toString())), 65,
                csv + ": error[E602]: not an nnc checkpoint (it does not begin with NNC-CKPT)");
        byte[] bytes = Files.readAllBytes(ckpt);
        Path cut = dir.resolve("cut.ckpt");
        Files.write(cut, Arrays.copyOf(bytes, 40));
        assertOneLineError(nnc(with(List.of(resume), cut.toString())), 65,
                cut + ": error[E602]: truncated: 40 bytes of the " + bytes.length + " its header announces");
        bytes[bytes.length / 2] ^= 1;
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, bytes);
        assertOneLineError(nnc(with(List.of(resume), bad.toString())), 65, bad + ": error[E602]: corrupted: its checksum does not match its content");

        assertOneLineError(nnc(with(List.of(resume), ckpt.toString(), "--double")), 65,
                ckpt + ": error[E603]: saved for model Line in float precision, but this model computes in double");
        String wider = write("wide.nn", MainTest.LINE.replace("input x: [1]", "input x: [2]")).toString();
        Path twoColumns = write("two.csv", "x[0],x[1],y\n1,2,3\n");
        assertOneLineError(nnc("train", wider, "--data", twoColumns.toString(), "--resume", ckpt.toString()), 65,
                ckpt + ": error[E603]: saved for model Line with out.weight [1, 1], but this model has out.weight [2, 1]");
        String renamed = write("other.nn", MainTest.LINE.replace("model Line", "model Other")).toString();
        assertOneLineError(nnc("train", renamed, "--data", "builtin:regression", "--resume", ckpt.toString()), 65,
                ckpt + ": error[E603]: saved for model Line, but this model is Other");
        assertOneLineError(nnc(with(List.of(resume), ckpt.toString(), "--optimizer", "adam(lr: 0.5)")), 65,
                ckpt + ": error[E604]: saved with optimiser sgd(lr: 0.5), but this run uses adam(lr: 0.5, beta1: 0.9, beta2: 0.999, eps: 1.0E-8, "
                        + "weight_decay: 0)");
        Path seven = write("seven.csv", "x,y\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7\n");
        assertOneLineError(nnc("train", nn, "--data", seven.toString(), "--resume", ckpt.toString()), 65,
                ckpt + ": error[E604]: saved while training on 512 samples, but this run's training data has 7");
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsInOneLine() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        Path blocker = write("file", "not a folder");
        Path ckpt = blocker.resolve("run.ckpt");
        MainTest.Run r = nnc("train", nn, "--data", "builtin:regression", "--epochs", "1", "--save", ckpt.toString());
        assertEquals(66, r.code(), r.err());
        assertTrue(r.err().startsWith(ckpt + ": error[E601]: cannot write it: ") && r.err().lines().count() == 1, r.err());
    }

    @Test
    void predictWritesTheOutputsOfATrainedModel() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 12; i++) {
            csv.append(i / 12.0).append(',').append(2 * i / 12.0 + 1).append('\n');
        }
        Path data = write("line.csv", csv.toString());
        String ckpt = dir.resolve("line.ckpt").toString();
        assertEquals(0, nnc("train", nn, "--data", data.toString(), "--epochs", "400", "--save", ckpt).code());

        Path inputs = write("x.csv", "x\n0\n0.25\n-1\n3\n5\n");
        MainTest.Run r = nnc("predict", nn, "--weights", ckpt, "--data", inputs.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("out", lines.get(0));
        double[] x = {0, 0.25, -1, 3, 5};
        assertEquals(x.length + 1, lines.size());
        for (int i = 0; i < x.length; i++) {
            assertEquals(2 * x[i] + 1, Double.parseDouble(lines.get(i + 1)), 1e-3, "x = " + x[i]);
        }

        // Targets in the file are ignored; --output writes the same text to a file.
        Path out = dir.resolve("preds/line.csv");
        MainTest.Run toFile = nnc("predict", nn, "--weights", ckpt, "--data", data.toString(), "--output", out.toString());
        assertEquals(0, toFile.code(), toFile.err());
        assertEquals(out + ": 12 predictions of model Line\n", toFile.err());
        assertEquals(nnc("predict", nn, "--weights", ckpt, "--data", data.toString()).out(), Files.readString(out));
        assertEquals(13, Files.readString(out).lines().count());

        MainTest.Run builtin = nnc("predict", nn, "--weights", ckpt, "--data", "builtin:regression");
        assertEquals(0, builtin.code(), builtin.err());
        assertEquals(513, builtin.out().lines().count());
    }

    @Test
    void predictNamesEveryScoreAndTheClassOfAClassifier() throws IOException {
        String nn = write("small.nn", DROPOUT).toString();
        Path data = classes("train.csv", 45, 1);
        String ckpt = dir.resolve("small.ckpt").toString();
        assertEquals(0, nnc("train", nn, "--data", data.toString(), "--epochs", "2", "--save", ckpt).code());
        MainTest.Run r = nnc("predict", nn, "--weights", ckpt, "--data", data.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("logits[0],logits[1],logits[2],class", lines.get(0));
        assertEquals(46, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] s = {Double.parseDouble(cells[0]), Double.parseDouble(cells[1]), Double.parseDouble(cells[2])};
            int best = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
            assertEquals(Integer.toString(best), cells[3], line);
        }
        // Dropout is off when predicting: the same input gives the same scores every time.
        assertEquals(r.out(), nnc("predict", nn, "--weights", ckpt, "--data", data.toString()).out());
    }

    @Test
    void predictErrorsAreOneLine() throws IOException {
        String nn = write("line.nn", MainTest.LINE).toString();
        String ckpt = dir.resolve("line.ckpt").toString();
        assertEquals(0, nnc("train", nn, "--data", "builtin:regression", "--epochs", "1", "--save", ckpt).code());
        Path inputs = write("x.csv", "x\n1\n");
        assertOneLineError(nnc("predict", nn, "--weights", dir.resolve("no.ckpt").toString(), "--data", inputs.toString()), 66,
                dir.resolve("no.ckpt") + ": error[E601]: no such file");
        String small = write("small.nn", DROPOUT).toString();
        assertOneLineError(nnc("predict", small, "--weights", ckpt, "--data", inputs.toString()), 65,
                ckpt + ": error[E603]: saved for model Line, but this model is SmallDropout");
        Path wrong = write("z.csv", "z\n1\n");
        assertOneLineError(nnc("predict", nn, "--weights", ckpt, "--data", wrong.toString()), 65, wrong + ":1: error[E504]: missing column 'x'");
        assertOneLineError(nnc("predict", nn, "--weights", ckpt, "--data", dir.resolve("none.csv").toString()), 66,
                dir.resolve("none.csv") + ": error[E501]: no such file");
        MainTest.Run usage = nnc("predict", nn, "--data", inputs.toString());
        assertEquals(64, usage.code());
        assertTrue(usage.err().startsWith("nnc predict: error[E812]: --weights FILE.ckpt is required"), usage.err());
    }
}
