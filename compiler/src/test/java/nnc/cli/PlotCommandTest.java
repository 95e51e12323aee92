package nnc.cli;

import static nnc.cli.MainTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train --plots} and {@code nnc plot}: which files they write, and their errors. */
class PlotCommandTest {
    @TempDir
    Path dir;

    static final String CLASSES = """
            model Classes {
              input x: [2]
              target y: class(2)
              output scores = dense(x, 2)
              loss cross_entropy(scores, y)
              train { optimizer sgd(lr: 0.5)  batch 20  epochs 3 }
            }
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<String> files(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void decodes(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not an image");
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    @Test
    void trainingAOneNumberModelDrawsItsLossAndItsFunction() throws IOException {
        Path plots = dir.resolve("plots");
        MainTest.Run r = nnc("train", write("line.nn", MainTest.LINE).toString(), "--data", "builtin:regression", "--epochs", "3",
                "--plots", plots.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("function.png", "function.svg", "loss.png", "loss.svg"), files(plots));
        assertTrue(r.out().endsWith("plots: " + plots.resolve("loss.png") + ", " + plots.resolve("loss.svg") + ", "
                + plots.resolve("function.png") + ", " + plots.resolve("function.svg") + "\n"), r.out());
        decodes(plots.resolve("function.png"));
        String svg = Files.readString(plots.resolve("function.svg"));
        assertTrue(svg.contains("<title>Line: learned function</title>"), "titled with the model's name");
        assertTrue(svg.contains("series: true function, learned function, training data"), "builtin:regression knows its true function");
    }

    @Test
    void trainingAClassifierDrawsLossAndAccuracyAndJsonStaysJson() throws IOException {
        Path plots = dir.resolve("deep/er/plots");
        MainTest.Run r = nnc("train", write("classes.nn", CLASSES).toString(), "--data", "builtin:logistic", "--plots", plots.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("accuracy.png", "accuracy.svg", "loss.png", "loss.svg"), files(plots));
        decodes(plots.resolve("accuracy.png"));
        for (String line : r.out().split("\n")) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "only JSON lines: " + line);
        }
    }

    @Test
    void aPlotsFolderThatCannotBeMadeStopsTheRunBeforeTraining() throws IOException {
        Path file = write("occupied", "a file, not a folder");
        MainTest.Run r = nnc("train", write("line.nn", MainTest.LINE).toString(), "--data", "builtin:regression", "--plots",
                file.resolve("plots").toString());
        assertEquals(66, r.code());
        assertEquals(file.resolve("plots") + ": error[E822]: cannot write the plots: Not a directory\n", r.err());
        assertFalse(r.out().contains("epoch"), "no training: " + r.out());
    }

    @Test
    void plotRedrawsTheCurvesOfAHistoryFile() throws IOException {
        Path history = dir.resolve("run.csv");
        MainTest.Run t = nnc("train", write("classes.nn", CLASSES).toString(), "--data", "builtin:logistic", "--history", history.toString());
        assertEquals(0, t.code(), t.err());
        Path plots = dir.resolve("plots");
        MainTest.Run r = nnc("plot", history.toString(), "-o", plots.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote " + plots.resolve("loss.png") + "\nwrote " + plots.resolve("loss.svg") + "\nwrote " + plots.resolve("accuracy.png")
                + "\nwrote " + plots.resolve("accuracy.svg") + "\n", r.out());
        decodes(plots.resolve("loss.png"));
        assertTrue(Files.readString(plots.resolve("loss.svg")).contains("<title>run: loss</title>"), "named after the file");

        r = nnc("plot", history.toString(), "-o", plots.toString(), "--name", "Classes");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(plots.resolve("accuracy.svg")).contains("<title>Classes: accuracy</title>"));
    }

    @Test
    void plotSaysWhatIsWrongInOneLine() throws IOException {
        MainTest.Run r = nnc("plot", dir.resolve("missing.csv").toString(), "-o", dir.toString());
        assertEquals(66, r.code());
        assertEquals(dir.resolve("missing.csv") + ": error[E501]: no such file\n", r.err());

        Path bad = write("bad.csv", "epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,learning_rate,seconds\n1,x,,,,0.1,1\n");
        r = nnc("plot", bad.toString(), "-o", dir.resolve("out").toString());
        assertEquals(65, r.code());
        assertEquals(bad + ":2: error[E520]: column train_loss: 'x' is not a number\n", r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");

        Path empty = write("empty.csv", "epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,learning_rate,seconds\n");
        r = nnc("plot", empty.toString(), "-o", dir.resolve("out").toString());
        assertEquals(65, r.code());
        assertEquals(empty + ": error[E823]: no epoch with a finite loss or accuracy: nothing to draw\n", r.err());

        r = nnc("plot", bad.toString());
        assertEquals(64, r.code());
        assertTrue(r.err().startsWith("nnc plot: error[E812]: -o DIR is required"), r.err());
    }
}
