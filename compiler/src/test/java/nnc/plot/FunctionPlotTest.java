package nnc.plot;

import static nnc.plot.Pictures.drawn;
import static nnc.plot.Pictures.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import nnc.Compiler;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import nnc.runtime.data.Generators;
import nnc.runtime.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.w3c.dom.Document;

class FunctionPlotTest {
    @TempDir
    Path dir;

    private static Compiler.Result result(String text, int batch) {
        Reporter r = new Reporter(null);
        Compiler.Result result = Compiler.compile(new Source("f.nn", text),
                Compiler.Options.defaults().withPackage("nnc.plottest").withPrecision(Precision.DOUBLE).withMaxBatch(batch), r);
        assertNotNull(result, () -> r.diagnostics().toString());
        return result;
    }

    /** The model run by the interpreter: no Java compiler needed, so the tests stay quick. */
    static Model compile(String text, int batch) {
        Compiler.Result c = result(text, batch);
        Model m = new InterpretedModel(c.optimized(), c.maxBatch(), true);
        m.initialize(7);
        return m;
    }

    /** The model as generated code, as {@code nnc train} runs it. */
    static Model generated(String text, int batch) throws Exception {
        Model m = result(text, batch).load().newModel();
        m.initialize(7);
        return m;
    }

    static final String MLP = """
            model Wiggle {
              input x: [1]
              target y: [1]
              init weights normal(0, 1), biases constant(0.03)
              h = sigmoid(dense(x, 16))
              output out = dense(h, 1)
              loss mse(out, y)
            }
            """;

    @Test
    void theLearnedCurveIsALineForALinearModelWhoseWeightsAreSet() throws Exception {
        Model m = compile("""
                model Line {
                  input x: [1]
                  target y: [1]
                  output out = dense(x, 1)
                  loss mse(out, y)
                }
                """, 16);
        // out = 2x + 1, whatever the batching of the grid (400 points, 16 at a time).
        m.parameters().get(0).value().set(0, 2);
        m.parameters().get(1).value().set(0, 1);
        FunctionPlot.Curve c = FunctionPlot.learned(m, -2, 3, FunctionPlot.POINTS);
        assertEquals(FunctionPlot.POINTS, c.x().length);
        assertEquals(-2, c.x()[0]);
        assertEquals(3, c.x()[FunctionPlot.POINTS - 1]);
        for (int i = 0; i < c.x().length; i++) {
            assertEquals(2 * c.x()[i] + 1, c.y()[i], 1e-12, "at x = " + c.x()[i]);
        }
    }

    @Test
    void theLearnedCurveIsWhatInferGivesForEachXAlone() throws Exception {
        Model m = generated(MLP, 32);
        FunctionPlot.Curve c = FunctionPlot.learned(m, -2, 2, 101);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < c.x().length; i += 7) {
            m.inputs().get(0).set(0, c.x()[i]);
            m.infer(1);
            assertEquals(m.outputs().get(0).get(0), c.y()[i], 1e-12, "at x = " + c.x()[i]);
            min = Math.min(min, c.y()[i]);
            max = Math.max(max, c.y()[i]);
        }
        assertTrue(max - min > 1e-3, "a random sigmoid net is not constant over [-2, 2]: " + min + ".." + max);
    }

    @Test
    void onlyModelsOfOneNumberToOneNumberApply() throws Exception {
        assertTrue(FunctionPlot.applies(compile(MLP, 4)));
        assertFalse(FunctionPlot.applies(compile("""
                model Two {
                  input x: [2]
                  target y: [1]
                  output out = dense(x, 1)
                  loss mse(out, y)
                }
                """, 4)));
        Model twoOut = compile("""
                model TwoOut {
                  input x: [1]
                  target y: [2]
                  output out = dense(x, 2)
                  loss mse(out, y)
                }
                """, 4);
        assertFalse(FunctionPlot.applies(twoOut));
        assertThrows(IllegalArgumentException.class, () -> FunctionPlot.learned(twoOut, 0, 1, 10));
    }

    @Test
    void theChartShowsDataTruthAndLearnedCurveOverTheDataRange() throws Exception {
        Model m = compile(MLP, 64);
        // With noise, so that the points are not hidden under the true curve.
        var data = Generators.regression("test", 200, 0.5, Rng.forStream(3, "plot"));
        FunctionPlot.Curve points = FunctionPlot.data(m, data).orElseThrow();
        assertArrayEquals(data.data("x"), points.x());
        assertArrayEquals(data.data("y"), points.y());
        double[] range = FunctionPlot.range(points);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : data.data("x")) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertArrayEquals(new double[] {min, max}, range);

        FunctionPlot.Curve learned = FunctionPlot.learned(m, range[0], range[1], FunctionPlot.POINTS);
        FunctionPlot.Curve truth = FunctionPlot.of(Generators::regressionCurve, range[0], range[1], FunctionPlot.POINTS);
        XYChart chart = FunctionPlot.chart("Wiggle", "x", "out", learned, points, truth);
        assertEquals("Wiggle: learned function", chart.getTitle());
        assertArrayEquals(learned.y(), chart.getSeries(FunctionPlot.LEARNED).getYData());
        List<Path> files = ChartFiles.write(chart, dir, "function");
        assertEquals(List.of(dir.resolve("function.png"), dir.resolve("function.svg")), files);

        BufferedImage png = Pictures.png(dir.resolve("function.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(png, Style.RED) > 300, "learned curve drawn");
        assertTrue(pixels(png, Style.GREEN) > 300, "true curve drawn");
        assertTrue(pixels(png, Style.GREY) > 300, "data points drawn");
        Document svg = Pictures.svg(dir.resolve("function.svg"));
        assertEquals("x: x; y: out; series: true function, learned function, training data", Pictures.text(svg, "desc"));
        assertEquals(FunctionPlot.POINTS - 1 + 1, drawn(svg, "stroke", Style.RED).size(), "a segment per pair of grid points, one in the legend");
        assertEquals(FunctionPlot.POINTS - 1 + 1, drawn(svg, "stroke", Style.GREEN).size());
        assertTrue(drawn(svg, "fill", Style.GREY).size() >= 200, "a marker per data point");
    }

    @Test
    void aSinglePointGetsARangeAroundIt() {
        assertArrayEquals(new double[] {1.3, 3.3}, FunctionPlot.range(new FunctionPlot.Curve(new double[] {2.3}, new double[] {2})), 1e-15);
    }
}
