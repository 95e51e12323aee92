package nnc.cli;

import static nnc.cli.MainTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnc params, gradcheck, diagnose and graph, run in-process: output, files and exit codes. */
class InspectCommandsTest {
    @TempDir
    Path dir;

    static final String DEEP = """
            model Deep {
              const K = 2
              const D = 3
              input x: [1]
              target y: [1]
              init weights he_normal, biases zeros
              h = x
              repeat K {
                h = relu(dense(h, D))
              }
              output out = dense(sigmoid(h), 1)
              loss mse(out, y)
              train { seed 7 }
            }
            """;

    Path deep() throws IOException {
        Path p = dir.resolve("deep.nn");
        Files.writeString(p, DEEP);
        return p;
    }

    @Test
    void paramsPrintsTheTableWithOverrides() throws IOException {
        MainTest.Run r = nnc("params", deep().toString(), "--set", "K=3", "--set", "D=4");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                layer        kind     output  parameters  line
                h.1          dense    [N, 4]           8     9
                h.1          relu     [N, 4]           0     9
                h.2          dense    [N, 4]          20     9
                h.2          relu     [N, 4]           0     9
                h.3          dense    [N, 4]          20     9
                h.3          relu     [N, 4]           0     9
                out.sigmoid  sigmoid  [N, 4]           0    11
                out          dense    [N, 1]           5    11
                total                                 53
                """, r.out());
    }

    @Test
    void overrideMistakesAreErrorsOfTheModel() throws IOException {
        MainTest.Run r = nnc("params", deep().toString(), "--set", "K=abc");
        assertEquals(65, r.code());
        assertEquals("--set K=abc: error[E801]: 'abc' is not a number; K takes a number such as 50 or 0.5\n", r.err());
        MainTest.Run init = nnc("diagnose", deep().toString(), "--init", "weights=normal(0)");
        assertEquals(65, init.code());
        assertEquals("--init weights=normal(0): error[E231]: normal takes 2 arguments, but got 1\n", init.err());
    }

    @Test
    void gradcheckExitsWithOneWhenAGradientDisagrees() throws IOException {
        MainTest.Run ok = nnc("gradcheck", deep().toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("Deep: gradient check on 4 random inputs, Normal(0, 1), seed 7; central differences,"
                + " delta 1e-6; allclose(rtol 1e-5, atol 1e-8); double precision, generated code, dropout off\n"), ok.out());
        assertTrue(ok.out().contains("passed: 22 of 22 elements agree with finite differences\n"), ok.out());
        // A step of 1 is far too coarse for the sigmoid's curvature: the check must fail.
        MainTest.Run coarse = nnc("gradcheck", deep().toString(), "--delta", "1", "--interpret");
        assertEquals(GradcheckCommand.FAILED, coarse.code(), coarse.out());
        assertTrue(coarse.out().contains("FAILED: "), coarse.out());
        MainTest.Run bad = nnc("gradcheck", deep().toString(), "--samples", "0");
        assertEquals(64, bad.code());
        assertTrue(bad.err().startsWith("nnc gradcheck: error[E811]: --samples must be at least 1, not 0\n"), bad.err());
    }

    @Test
    void diagnoseTakesDataFromAFile() throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x,y\n1,0\n-1,0\n2,1\n");
        MainTest.Run r = nnc("diagnose", deep().toString(), "--data", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Deep at initialisation (seed 7): activations over 3 inputs, gradients over 3 inputs"
                + " one at a time; the first 3 rows of " + csv + "\n"), r.out());
        assertTrue(r.out().contains("findings:\n  dense [N, 3] activations: ") && r.out().contains("\n  relu [N, 3] activations: "), r.out());
        Path plots = dir.resolve("plots");
        MainTest.Run drawn = nnc("diagnose", deep().toString(), "--samples", "50", "--plots", plots.toString());
        assertEquals(0, drawn.code(), drawn.err());
        assertTrue(drawn.out().endsWith("wrote " + plots.resolve("diagnose-std.png") + "\nwrote " + plots.resolve("diagnose-std.svg")
                + "\nwrote " + plots.resolve("diagnose-dead-units.png") + "\nwrote " + plots.resolve("diagnose-dead-units.svg") + "\n"),
                drawn.out());
        MainTest.Run missing = nnc("diagnose", deep().toString(), "--data", dir.resolve("none.csv").toString());
        assertEquals(65, missing.code());
        assertEquals(dir.resolve("none.csv") + ": error[E501]: no such file\n", missing.err());
    }

    @Test
    void graphWritesDotAndSvg() throws IOException {
        MainTest.Run printed = nnc("graph", deep().toString());
        assertEquals(0, printed.code(), printed.err());
        assertTrue(printed.out().startsWith("digraph \"Deep\" {\n"), printed.out());
        Path dot = dir.resolve("out/deep.dot");
        Path svg = dir.resolve("deep.svg");
        MainTest.Run files = nnc("graph", deep().toString(), "--optimized", "-o", dot.toString(), "--svg", svg.toString());
        assertEquals(0, files.code(), files.err());
        assertEquals("wrote " + dot + "\nwrote " + svg + "\n", files.out());
        assertTrue(Files.readString(dot).contains("subgraph cluster_backward"));
        assertTrue(Files.readString(svg).contains("<svg"));
        Path file = dir.resolve("a-file");
        Files.writeString(file, "");
        MainTest.Run blocked = nnc("graph", deep().toString(), "-o", file.resolve("deep.dot").toString());
        assertEquals(66, blocked.code());
        assertTrue(blocked.err().startsWith(file.resolve("deep.dot") + ": error[E822]: cannot write: "), blocked.err());
        assertEquals(1, blocked.err().lines().count(), blocked.err());
    }
}
