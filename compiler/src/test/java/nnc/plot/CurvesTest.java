package nnc.plot;

import static nnc.plot.Pictures.drawn;
import static nnc.plot.Pictures.pixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import nnc.runtime.Trainer.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.w3c.dom.Document;

class CurvesTest {
    @TempDir
    Path dir;

    static List<EpochResult> epochs(int n, IntToDoubleFunction train, IntToDoubleFunction validation, IntToDoubleFunction trainAcc,
            IntToDoubleFunction validationAcc) {
        List<EpochResult> list = new ArrayList<>();
        for (int e = 1; e <= n; e++) {
            list.add(new EpochResult(e, n, train.applyAsDouble(e), validation.applyAsDouble(e), 0.1, 0.01, trainAcc.applyAsDouble(e),
                    validationAcc.applyAsDouble(e)));
        }
        return list;
    }

    private static final IntToDoubleFunction NONE = e -> Double.NaN;

    @Test
    void lossOfARegressionIsTrainingAndValidationOnALogScaleWhenItSpansDecades() throws Exception {
        List<EpochResult> run = epochs(1000, e -> 5 * Math.exp(-e / 100.0), e -> 6 * Math.exp(-e / 120.0), NONE, NONE);
        XYChart chart = Curves.loss("Regression", run).orElseThrow();
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals("Regression: loss", chart.getTitle());
        assertEquals("loss (log scale)", chart.getYAxisTitle());
        assertEquals("epoch", chart.getXAxisTitle());
        assertEquals(run.get(999).trainLoss(), chart.getSeries(Curves.TRAIN).getYData()[999]);
        assertEquals(run.get(0).validationLoss(), chart.getSeries(Curves.VALIDATION).getYData()[0]);
        assertTrue(Curves.accuracy("Regression", run).isEmpty(), "not a classifier: no accuracy chart");

        List<Path> files = TrainingPlots.writeCurves(dir, "Regression", run);
        assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("loss.svg")), files);
        Pictures.holdsExactly(dir, "loss.png", "loss.svg");
        BufferedImage png = Pictures.png(dir.resolve("loss.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(png, Style.TRAIN) > 500, "training curve drawn: " + pixels(png, Style.TRAIN));
        assertTrue(pixels(png, Style.VALIDATION) > 500, "validation curve drawn: " + pixels(png, Style.VALIDATION));
        Document svg = Pictures.svg(dir.resolve("loss.svg"));
        assertEquals("Regression: loss", Pictures.text(svg, "title"));
        assertEquals("x: epoch; y: loss (log scale); series: training, validation", Pictures.text(svg, "desc"));
        // XChart draws a line series as one segment per pair of epochs, and one in the legend.
        assertEquals(999 + 1, drawn(svg, "stroke", Style.TRAIN).size());
        assertEquals(999 + 1, drawn(svg, "stroke", Style.VALIDATION).size());
    }

    @Test
    void aLossWithinOneDecadeIsLinearAndAClassifierGetsAnAccuracyChart() throws Exception {
        List<EpochResult> run = epochs(3, e -> 0.6 - 0.1 * e, e -> 0.65 - 0.1 * e, e -> 0.7 + 0.05 * e, e -> 0.68 + 0.05 * e);
        XYChart loss = Curves.loss("FashionMlp", run).orElseThrow();
        assertFalse(loss.getStyler().isYAxisLogarithmic());
        assertEquals("loss", loss.getYAxisTitle());
        XYChart accuracy = Curves.accuracy("FashionMlp", run).orElseThrow();
        assertEquals("FashionMlp: accuracy", accuracy.getTitle());
        assertEquals(0.83, accuracy.getSeries(Curves.VALIDATION).getYData()[2], 1e-12);

        List<Path> files = TrainingPlots.writeCurves(dir, "FashionMlp", run);
        assertEquals(4, files.size());
        Pictures.holdsExactly(dir, "loss.png", "loss.svg", "accuracy.png", "accuracy.svg");
        for (String name : new String[] {"loss", "accuracy"}) {
            BufferedImage png = Pictures.png(dir.resolve(name + ".png"), Style.WIDTH, Style.HEIGHT);
            assertTrue(pixels(png, Style.TRAIN) > 300, name + ": training curve drawn");
            assertTrue(pixels(png, Style.VALIDATION) > 300, name + ": validation curve drawn");
            Document svg = Pictures.svg(dir.resolve(name + ".svg"));
            assertTrue(Pictures.text(svg, "desc").endsWith("series: training, validation"));
            assertEquals(2 + 1, drawn(svg, "stroke", Style.TRAIN).size(), name + ": two segments for three epochs, one in the legend");
            // Few epochs: each has a marker too.
            assertTrue(drawn(svg, "fill", Style.VALIDATION).size() >= 3, name + ": a marker per epoch");
        }
    }

    @Test
    void withoutValidationOnlyTheTrainingCurveIsDrawn() throws Exception {
        List<EpochResult> run = epochs(50, e -> 1.0 / e, NONE, NONE, NONE);
        TrainingPlots.writeCurves(dir, "NoValidation", run);
        BufferedImage png = Pictures.png(dir.resolve("loss.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(png, Style.TRAIN) > 300);
        assertEquals(0, pixels(png, Style.VALIDATION), "no validation curve, not even in the legend");
        Document svg = Pictures.svg(dir.resolve("loss.svg"));
        assertEquals(0, drawn(svg, "stroke", Style.VALIDATION).size());
        assertTrue(Pictures.text(svg, "desc").endsWith("series: training"));
    }

    @Test
    void epochsWhoseLossIsNotFiniteAreLeftOutAndNoFiniteLossMeansNoChart() {
        List<EpochResult> run = epochs(4, e -> e == 3 ? Double.NaN : e == 4 ? Double.POSITIVE_INFINITY : 1.0 / e, NONE, NONE, NONE);
        XYChart chart = Curves.loss("Diverged", run).orElseThrow();
        assertEquals(2, chart.getSeries(Curves.TRAIN).getXData().length);
        assertTrue(Curves.loss("Nothing", epochs(3, NONE, NONE, NONE, NONE)).isEmpty());
        assertTrue(Curves.loss("NoEpochs", List.of()).isEmpty());
    }

    @Test
    void theLogScaleNeedsPositiveValuesSpanningADecade() {
        assertTrue(Curves.logScale(new Curves.Series(new double[] {1, 2}, new double[] {1, 0.1})));
        assertFalse(Curves.logScale(new Curves.Series(new double[] {1, 2}, new double[] {1, 0.11})));
        assertFalse(Curves.logScale(new Curves.Series(new double[] {1, 2}, new double[] {1, -0.01})), "a negative loss");
        assertFalse(Curves.logScale(new Curves.Series(new double[] {1, 2}, new double[] {1, 0})));
    }
}
