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
    }
}
