package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nnc command line, run in-process: what it prints and the exit codes it returns. */
class MainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run nnc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String LINE = """
            model Line {
              input x: [1]
              target y: [1]
              output out = dense(x, 1, weights: zeros)
              loss mse(out, y)
              train { optimizer sgd(lr: 0.5)  batch 4  epochs 30 }
            }
            """;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void compileWritesTheClassIntoItsPackageFolder() throws IOException {
        Path nn = write("line.nn", LINE);
        Run r = nnc("compile", nn.toString(), "-d", dir.resolve("out").toString(), "--package", "com.example");
        assertEquals(0, r.code(), r.err());
        Path java = dir.resolve("out/com/example/Line.java");
        assertTrue(Files.readString(java).contains("public final class Line implements Model"));
        assertEquals("wrote " + java + "\n", r.out());
    }

    @Test
    void dumpIrShowsTheGraphBeforeAndAfterOptimisation() throws IOException {
        Run r = nnc("compile", write("line.nn", LINE).toString(), "-d", dir.toString(), "--dump-ir");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("// IR after differentiation, before optimisation"), r.out());
        assertTrue(r.out().contains("// IR after optimisation"), r.out());
        assertTrue(r.out().contains("grad out.weight = %"), r.out());
    }

    @Test
    void trainFromCsvPrintsJsonLines() throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 10; i++) {
            csv.append(i / 10.0).append(',').append(2 * i / 10.0 + 1).append('\n');
        }
        Path data = write("line.csv", csv.toString());
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", data.toString(), "--json", "--epochs", "200", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(202, lines.size());
        assertTrue(lines.get(0).startsWith("{\"event\":\"start\",\"model\":\"Line\",\"parameters\":2,\"precision\":\"float\","
                + "\"train_samples\":10,\"validation_samples\":null,\"epochs\":200,\"batch\":4,\"lr\":0.5,\"seed\":3}"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"event\":\"epoch\",\"epoch\":1,\"epochs\":200,\"train_loss\":"), lines.get(1));
        String end = lines.get(201);
        assertTrue(end.startsWith("{\"event\":\"end\",\"initial_train_loss\":"), end);
        double finalLoss = Double.parseDouble(end.replaceAll(".*\"train_loss\":([^,]+),.*", "$1"));
        assertTrue(finalLoss < 1e-4, end);
    }

    @Test
    void trainPrintsOneLinePerEpochThenTheResult() throws IOException {
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--epochs", "3", "--batch", "64");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(1).matches("epoch 1/3  train loss [0-9.]+  validation loss [0-9.]+"), lines.get(1));
        assertTrue(lines.get(4).matches("final: train loss [0-9.]+ \\(initially [0-9.]+\\), validation loss [0-9.]+, 3 epochs in [0-9.]+ s"), lines.get(4));
    }

    static final String BLOBS = """
            model Blobs {
              input x: [2]
              target y: class(3)
              output logits = dense(x, 3, weights: zeros)
              loss cross_entropy(logits, y)
              train { optimizer sgd(lr: 0.5)  batch 8  epochs 10 }
            }
            """;

    /** Three classes around (0, 3), (3, 0) and (-3, -3), as CSV with the class index in y. */
    Path blobs(String name, int n) throws IOException {
        double[][] centers = {{0, 3}, {3, 0}, {-3, -3}};
        StringBuilder csv = new StringBuilder("x[0],x[1],y\n");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double dx = Math.sin(7.0 * i);
            double dy = Math.cos(11.0 * i);
            csv.append(centers[c][0] + dx).append(',').append(centers[c][1] + dy).append(',').append(c).append('\n');
        }
        return write(name, csv.toString());
    }

    @Test
    void classifiersPrintTheirAccuracyPerEpochAndAtTheEnd() throws IOException {
        Run r = nnc("train", write("blobs.nn", BLOBS).toString(), "--data", blobs("train.csv", 60).toString(),
                "--validation", blobs("validation.csv", 30).toString(), "--epochs", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(1).matches("epoch 1/3  train loss [0-9.]+  train accuracy [01][.][0-9]{4}  validation loss [0-9.]+"
                + "  validation accuracy [01][.][0-9]{4}"), lines.get(1));
        String end = lines.get(4);
        assertTrue(end.matches("final: train loss [0-9.]+ \\(initially 1[.]098612\\), train accuracy [01][.][0-9]{4},"
                + " validation loss [0-9.]+, validation accuracy [01][.][0-9]{4}, 3 epochs in [0-9.]+ s"), end);
        double accuracy = Double.parseDouble(end.replaceAll(".*validation accuracy ([0-9.]+),.*", "$1"));
        assertTrue(accuracy > 0.95, end);
    }

    @Test
    void jsonHasAccuraciesForClassifiersAndNullForOtherModels() throws IOException {
        Run r = nnc("train", write("blobs.nn", BLOBS).toString(), "--data", blobs("train.csv", 60).toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).matches("\\{\"event\":\"epoch\",\"epoch\":1,\"epochs\":10,\"train_loss\":[0-9.E-]+,"
                + "\"validation_loss\":null,\"train_accuracy\":[0-9.]+,\"validation_accuracy\":null,\"seconds\":[0-9.E-]+}"), lines.get(1));
        String end = lines.get(lines.size() - 1);
        assertTrue(end.matches(".*\"validation_loss\":null,\"train_accuracy\":[0-9.]+,\"validation_accuracy\":null,\"epochs\":10,.*"), end);
        assertTrue(Double.parseDouble(end.replaceAll(".*\"train_accuracy\":([0-9.]+),.*", "$1")) > 0.95, end);

        r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--json", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        lines = r.out().lines().toList();
        assertTrue(lines.get(1).contains(",\"train_accuracy\":null,\"validation_accuracy\":null,\"seconds\":"), lines.get(1));
        assertTrue(lines.get(2).contains(",\"train_accuracy\":null,\"validation_accuracy\":null,\"epochs\":1,"), lines.get(2));
    }

    @Test
    void fashionMnistTrainsASoftmaxRegressionToTheCoursesAccuracy() throws IOException {
        String softmax = """
                model Softmax {
                  input x: [784]
                  target y: class(10)
                  output logits = dense(x, 10)
                  loss cross_entropy(logits, y)
                  train { optimizer sgd(lr: 0.1)  batch 256  epochs 1 }
                }
                """;
        Run r = nnc("train", write("softmax.nn", softmax).toString(), "--data", "builtin:fashion-mnist");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Softmax: 7,850 parameters, float, 60000 training samples, 10000 validation,"), lines.get(0));
        String end = lines.get(2);
        // Softmax regression reaches about 0.8 test accuracy after one epoch (0.84 after ten).
        double accuracy = Double.parseDouble(end.replaceAll(".*validation accuracy ([0-9.]+),.*", "$1"));
        assertTrue(accuracy > 0.7 && accuracy < 0.9, end);
    }

    @Test
    void errorsInTheFileAreReportedWithTheirPositionAndExitCode65() throws IOException {
        Path nn = write("bad.nn", LINE.replace("dense(x", "dense(xx"));
        Run r = nnc("compile", nn.toString(), "-d", dir.toString());
        assertEquals(65, r.code());
        assertTrue(r.err().startsWith(nn + ":4:22: error: undefined name 'xx'; did you mean 'x'?\n"), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void badDataIsReportedWithTheFileAndLine() throws IOException {
        Path data = write("bad.csv", "x,y\n1,2\n3,oops\n");
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", data.toString());
        assertEquals(65, r.code());
        assertEquals(data + ":3: column y: 'oops' is not a number\n", r.err());
    }

    @Test
    void usageErrorsExplainThemselves() throws IOException {
        assertEquals(64, nnc("compile").code());
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--epochs", "many");
        assertEquals(64, r.code());
        assertTrue(r.err().startsWith("nnc train: --epochs takes a whole number, not 'many'"), r.err());
        r = nnc("frobnicate");
        assertEquals(64, r.code());
        assertTrue(r.err().startsWith("nnc: unknown command 'frobnicate'"), r.err());
        r = nnc("compile", "missing.nn", "-d", dir.toString());
        assertEquals(66, r.code());
        assertEquals("missing.nn: error: no such file\n", r.err());
    }

    @Test
    void everyCommandExplainsItsOptions() {
        assertTrue(nnc("--help").out().contains("nnc compile MODEL.nn -d DIR"));
        assertTrue(nnc("compile", "--help").out().contains("--max-batch N"));
        assertTrue(nnc("train", "--help").out().contains("--data builtin:NAME"));
        assertTrue(nnc("help", "train").out().contains("--json"));
        assertTrue(nnc("train", "--help").out().contains("\"train_accuracy\", \"validation_accuracy\""));
        assertTrue(nnc("train", "--help").out().contains("its validation set is the course's\n"), nnc("train", "--help").out());
    }
}
