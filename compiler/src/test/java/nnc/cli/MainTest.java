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
    void compileStatsPrintsThePlannedArraysAgainstOnePerValue() throws IOException {
        String mlp = """
                model Mlp {
                  input x: [3]
                  target y: [1]
                  h1 = sigmoid(dense(x, 16))
                  h2 = sigmoid(dense(h1, 16))
                  output out = dense(h2, 1)
                  loss mse(out, y)
                  train { batch 8 }
                }
                """;
        Run r = nnc("compile", write("mlp.nn", mlp).toString(), "-d", dir.toString(), "--stats", "--scalar");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("arrays of Mlp +count +bytes +one per value +bytes"), lines.get(0));
        // Parameters: 16*3+16 + 16*16+16 + 16+1 = 353 floats, and as many gradients.
        assertTrue(lines.contains("parameters and gradients     12  2,824             12   2,824"), r.out());
        String total = lines.stream().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        String[] figures = total.substring("total".length()).trim().split(" +");
        long planned = Long.parseLong(figures[0].replace(",", ""));
        long unplanned = Long.parseLong(figures[1].replace(",", ""));
        assertTrue(planned < unplanned, total);
        assertTrue(r.out().contains("for batches of up to 8 in float, scalar code: "
                + Math.round(100.0 * (unplanned - planned) / unplanned) + "% less than one array per value"), r.out());
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
                + "\"train_samples\":10,\"validation_samples\":null,\"epochs\":200,\"batch\":4,\"optimizer\":\"sgd(lr: 0.5)\",\"lr\":0.5,"
                + "\"schedule\":null,\"seed\":3}"), lines.get(0));
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
                + "\"validation_loss\":null,\"train_accuracy\":[0-9.]+,\"validation_accuracy\":null,\"learning_rate\":0.5,\"seconds\":[0-9.E-]+}"), lines.get(1));
        String end = lines.get(lines.size() - 1);
        assertTrue(end.matches(".*\"validation_loss\":null,\"train_accuracy\":[0-9.]+,\"validation_accuracy\":null,\"epochs\":10,.*"), end);
        assertTrue(Double.parseDouble(end.replaceAll(".*\"train_accuracy\":([0-9.]+),.*", "$1")) > 0.95, end);

        r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--json", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        lines = r.out().lines().toList();
        assertTrue(lines.get(1).contains(",\"train_accuracy\":null,\"validation_accuracy\":null,\"learning_rate\":0.5,\"seconds\":"),
                lines.get(1));
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
        assertTrue(lines.get(0).startsWith("Softmax: 7,850 parameters, float, 60000 training samples, 10000 validation, batch 256, sgd(lr: 0.1),"),
                lines.get(0));
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
        assertTrue(r.err().startsWith(nn + ":4:22: error[E201]: undefined name 'xx'; did you mean 'x'?\n"), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void badDataIsReportedWithTheFileAndLine() throws IOException {
        Path data = write("bad.csv", "x,y\n1,2\n3,oops\n");
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", data.toString());
        assertEquals(65, r.code());
        assertEquals(data + ":3: error[E506]: column y: 'oops' is not a number\n", r.err());
    }

    @Test
    void usageErrorsExplainThemselvesInOneLineAndPointToHelp() throws IOException {
        Run r = nnc("compile");
        assertEquals(64, r.code());
        assertEquals("nnc compile: error[E812]: MODEL.nn is required: the model to compile\nRun 'nnc compile --help' for its options.\n", r.err());
        String line = write("line.nn", LINE).toString();
        r = nnc("train", line, "--data", "builtin:regression", "--epochs", "many");
        assertEquals(64, r.code());
        assertEquals("nnc train: error[E811]: --epochs takes a whole number, not 'many'\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("train", line, "--data", "builtin:regression", "--epohcs", "3");
        assertEquals(64, r.code());
        assertEquals("nnc train: error[E810]: unknown option --epohcs; did you mean --epochs?\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("train", line, "--data", "builtin:regression", "--batch", "0");
        assertEquals("nnc train: error[E811]: --batch must be at least 1, not 0\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("train", line, "--data", "builtin:regression", "--epochs");
        assertEquals("nnc train: error[E812]: --epochs needs a value (N)\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("train", line);
        assertEquals("nnc train: error[E812]: --data DATA is required\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("train", line, "other.nn", "--data", "builtin:regression");
        assertEquals("nnc train: error[E810]: unexpected argument 'other.nn'\nRun 'nnc train --help' for its options.\n", r.err());
        r = nnc("compile", line, "-d", dir.toString(), "--package", "no-dashes");
        assertEquals(64, r.code());
        assertEquals("nnc compile: error[E811]: --package 'no-dashes' is not a Java package name\nRun 'nnc compile --help' for its options.\n", r.err());
        r = nnc("frobnicate");
        assertEquals(64, r.code());
        assertEquals("nnc: error[E810]: unknown command 'frobnicate'\nRun 'nnc --help' for its commands and options.\n", r.err());
        r = nnc("help", "trian");
        assertEquals(64, r.code());
        assertEquals("nnc: error[E810]: unknown command 'trian'\nRun 'nnc --help' for its commands and options.\n", r.err());
        r = nnc("compile", "missing.nn", "-d", dir.toString());
        assertEquals(66, r.code());
        assertEquals("missing.nn: error[E820]: no such file\n", r.err());
        assertEquals(64, nnc().code());
        assertTrue(nnc().out().contains("Commands:"), "nnc alone shows the overview");
    }

    @Test
    void everyCommandExplainsItsOptionsWithExamples() {
        String top = nnc("--help").out();
        String topWords = top.replaceAll(" +", " "); // commands are padded to the longest name
        assertTrue(topWords.contains("compile Write a model's Java class."), top);
        assertTrue(topWords.contains("train Compile a model in memory and train it."), top);
        assertTrue(top.contains("  65   errors in the .nn file"), top);
        assertTrue(top.contains("Examples:\n  nnc compile model.nn -d"), top);
        String compile = nnc("compile", "--help").out();
        assertTrue(compile.contains("--max-batch=N"), compile);
        assertTrue(compile.contains("Examples:\n  nnc compile"), compile);
        String train = nnc("train", "--help").out();
        String words = train.replaceAll("\\s+", " "); // as wrapped to the help's width
        assertTrue(words.contains("builtin:NAME, a built-in data set: regression, regression-noisy, toy, fashion-mnist,"), train);
        assertTrue(words.contains("(sgd, adagrad, rmsprop, adam, adamw)"), train);
        assertTrue(train.contains("\"train_accuracy\", \"validation_accuracy\""), train);
        assertTrue(train.contains("Examples:\n  nnc train"), train);
        assertEquals(train, nnc("help", "train").out());
        assertEquals(0, nnc("train", "--help").code());
    }

    @Test
    void versionIsTheProjectsVersion() {
        Run r = nnc("--version");
        assertEquals(0, r.code());
        // Maven fills it in from the pom; an unfiltered resource would print ${project.version}.
        assertTrue(r.out().matches("nnc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out());
        assertEquals(r.out(), nnc("train", "--version").out());
    }

    static final String ADAM = LINE.replace("optimizer sgd(lr: 0.5)", "optimizer adam(lr: 0.05, beta2: 0.99)");

    static String startEvent(Run r) {
        assertEquals(0, r.code(), r.err());
        return r.out().lines().findFirst().orElseThrow();
    }

    @Test
    void theFilesOptimiserTrainsAndTheCommandLineOverridesIt() throws IOException {
        String adam = write("adam.nn", ADAM).toString();
        Run r = nnc("train", adam, "--data", "builtin:regression", "--epochs", "1");
        assertTrue(startEvent(r).contains(", batch 4, adam(lr: 0.05, beta1: 0.9, beta2: 0.99, eps: 1.0E-8, weight_decay: 0), 1 epochs,"),
                r.out());
        r = nnc("train", adam, "--data", "builtin:regression", "--epochs", "1", "--json", "--lr", "0.2");
        assertTrue(startEvent(r).contains("\"optimizer\":\"adam(lr: 0.2, beta1: 0.9, beta2: 0.99, eps: 1.0E-8, weight_decay: 0)\",\"lr\":0.2,"),
                r.out());
        // --optimizer replaces the file's optimiser whole: arguments it leaves out take PyTorch's defaults.
        r = nnc("train", adam, "--data", "builtin:regression", "--epochs", "1", "--json", "--optimizer", "sgd(momentum: 0.9)");
        assertTrue(startEvent(r).contains("\"optimizer\":\"sgd(lr: 0.01, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0)\","),
                r.out());
        r = nnc("train", adam, "--data", "builtin:regression", "--epochs", "1", "--json", "--optimizer", "rmsprop(0.003)", "--lr", "0.004");
        assertTrue(startEvent(r).contains("\"optimizer\":\"rmsprop(lr: 0.004, alpha: 0.99,"), r.out());
    }

    @Test
    void anOptimiserThatTrainsDiffersFromPlainSgd() throws IOException {
        Path data = write("line.csv", "x,y\n0,1\n0.5,2\n1,3\n");
        String line = write("line.nn", LINE).toString();
        Run sgd = nnc("train", line, "--data", data.toString(), "--epochs", "5", "--json");
        Run adam = nnc("train", line, "--data", data.toString(), "--epochs", "5", "--json", "--optimizer", "adam(lr: 0.5)");
        String sgdEnd = sgd.out().lines().reduce((a, b) -> b).orElseThrow();
        String adamEnd = adam.out().lines().reduce((a, b) -> b).orElseThrow();
        String loss = ".*\"train_loss\":([^,]+),.*";
        assertTrue(!sgdEnd.replaceAll(loss, "$1").equals(adamEnd.replaceAll(loss, "$1")), sgdEnd + "\n" + adamEnd);
    }

    @Test
    void aBadOptimiserOnTheCommandLineGetsTheFilesMessage() throws IOException {
        String line = write("line.nn", LINE).toString();
        Run r = nnc("train", line, "--data", "builtin:regression", "--optimizer", "adam(lr: 0.01, beta3: 0.9)");
        assertEquals(64, r.code());
        assertEquals("nnc train: error[E311]: --optimizer 'adam(lr: 0.01, beta3: 0.9)': adam has no argument 'beta3'; did you mean 'beta1'?"
                + " (it has: lr, beta1, beta2, eps, weight_decay) (at column 16)\nRun 'nnc train --help' for its options.\n", r.err());
        // The same mistake in a file, for comparison: the checker's message, with its position.
        Run inFile = nnc("train", write("bad.nn", LINE.replace("sgd(lr: 0.5)", "adam(lr: 0.01, beta3: 0.9)")).toString(),
                "--data", "builtin:regression");
        assertEquals(65, inFile.code());
        assertTrue(inFile.err().contains(":6:36: error[E311]: adam has no argument 'beta3'; did you mean 'beta1'?"), inFile.err());
        r = nnc("train", line, "--data", "builtin:regression", "--optimizer", "sgd(lr: -1)");
        assertTrue(r.err().startsWith("nnc train: error[E311]: --optimizer 'sgd(lr: -1)': the learning rate must be a positive number, not '-1'"), r.err());
        r = nnc("train", line, "--data", "builtin:regression", "--optimizer", "adam(lr:");
        assertTrue(r.err().startsWith("nnc train: error[E101]: --optimizer 'adam(lr:': "), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void historyKeepsEveryEpochWhateverIsPrinted() throws IOException {
        Path history = dir.resolve("runs/h.csv");
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--epochs", "4", "--every", "3",
                "--history", history.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<String> epochLines = r.out().lines().filter(l -> l.startsWith("{\"event\":\"epoch\"")).toList();
        assertEquals(3, epochLines.size(), r.out()); // epochs 1, 3 and 4
        List<nnc.runtime.Trainer.EpochResult> rows = nnc.runtime.History.readCsv(history).rows();
        assertEquals(List.of(1, 2, 3, 4), rows.stream().map(nnc.runtime.Trainer.EpochResult::epoch).toList());
        for (nnc.runtime.Trainer.EpochResult row : rows) {
            assertEquals(0.5, row.learningRate());
            assertTrue(row.trainLoss() > 0 && row.validationLoss() > 0 && row.seconds() >= 0, row.toString());
            assertTrue(Double.isNaN(row.trainAccuracy()), row.toString());
        }
        // The printed figures are the file's.
        String third = epochLines.get(1);
        assertEquals(rows.get(2).trainLoss(), Double.parseDouble(third.replaceAll(".*\"train_loss\":([^,]+),.*", "$1")));
    }

    @Test
    void aHistoryThatCannotBeWrittenStopsBeforeTraining() throws IOException {
        Path notAFolder = write("file", "x");
        Run r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--history",
                notAFolder.resolve("h.csv").toString());
        assertEquals(66, r.code());
        assertEquals(notAFolder.resolve("h.csv") + ": error[E822]: cannot write the history: " + notAFolder + " is not a folder\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void theFilesScheduleSetsEachEpochsRateAndTheCommandLineOverridesIt() throws IOException {
        String stepped = write("stepped.nn", LINE.replace("epochs 30", "epochs 30  schedule step(step_size: 2, gamma: 0.5)  warmup 1"))
                .toString();
        Run r = nnc("train", stepped, "--data", "builtin:regression", "--epochs", "5");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains(", sgd(lr: 0.5), schedule warmup 1, then step(step_size: 2, gamma: 0.5), 5 epochs,"), lines.get(0));
        List<String> rates = lines.subList(1, 6).stream().map(l -> l.replaceAll(".*  lr ", "")).toList();
        assertEquals(List.of("0.5", "0.5", "0.5", "0.25", "0.25"), rates, r.out());

        Path history = dir.resolve("h.csv");
        r = nnc("train", stepped, "--data", "builtin:regression", "--epochs", "4", "--json", "--schedule", "exponential(0.5)",
                "--warmup", "0", "--lr", "0.2", "--history", history.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("\"lr\":0.2,\"schedule\":\"exponential(gamma: 0.5)\","), r.out());
        assertEquals(List.of(0.2, 0.1, 0.05, 0.025),
                nnc.runtime.History.readCsv(history).rows().stream().map(nnc.runtime.Trainer.EpochResult::learningRate).toList());

        r = nnc("train", write("line.nn", LINE).toString(), "--data", "builtin:regression", "--epochs", "3", "--warmup", "3");
        assertEquals(List.of("0.166667", "0.333333", "0.5"),
                r.out().lines().skip(1).limit(3).map(l -> l.replaceAll(".*  lr ", "")).toList(), r.out());
    }

    @Test
    void aScheduleThatReachesARateOfZeroIsRefusedBeforeTraining() throws IOException {
        Path nn = write("cosine.nn", LINE.replace("epochs 30", "epochs 30  schedule cosine(t_max: 10)"));
        Run r = nnc("train", nn.toString(), "--data", "builtin:regression");
        assertEquals(65, r.code());
        assertEquals(nn + ": error[E323]: the schedule cosine(t_max: 10, eta_min: 0) gives the learning rate 0 at epoch 10 (counting from 0),"
                + " but a learning rate must be a positive number\n", r.err());
        assertEquals("", r.out());
        r = nnc("train", nn.toString(), "--data", "builtin:regression", "--schedule", "cosine(t_max: 30)");
        assertEquals(0, r.code(), r.err());
        r = nnc("train", nn.toString(), "--data", "builtin:regression", "--schedule", "lambda(1 - epoch / 20)");
        assertEquals(64, r.code());
        assertEquals("nnc train: error[E323]: --schedule 'lambda(1 - epoch / 20)': the schedule lambda(1 - epoch / 20) gives the learning rate 0"
                + " at epoch 20 (counting from 0), but a learning rate must be a positive number\nRun 'nnc train --help' for its options.\n",
                r.err());
        r = nnc("train", nn.toString(), "--data", "builtin:regression", "--schedule", "lambda(0.9 ^ epok)");
        assertEquals(64, r.code());
        assertTrue(r.err().startsWith("nnc train: error[E322]: --schedule 'lambda(0.9 ^ epok)': unknown name 'epok';"), r.err());
        r = nnc("train", nn.toString(), "--data", "builtin:regression", "--warmup", "-1");
        assertEquals("nnc train: error[E811]: --warmup must be at least 0, not -1\nRun 'nnc train --help' for its options.\n", r.err());
    }
}
