package nnc.plot;

import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
import nnc.runtime.data.Dataset;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The function a model with one scalar input and one scalar output has learned, drawn over the
 * data's range of x against the data points and, when known, the true function (the course's
 * section 1.1 picture).
 */
public final class FunctionPlot {
    private FunctionPlot() {}

    /** Series names, also the legend's text. */
    public static final String DATA = "training data";
    public static final String TRUE = "true function";
    public static final String LEARNED = "learned function";

    /** Points on the curves: smooth at the chart's width. */
    public static final int POINTS = 400;

    /** Values of a function at increasing x. */
    public record Curve(double[] x, double[] y) {
        public Curve {
            if (x.length != y.length) {
                throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /** Whether the model maps one number to one number: one input and one output of one value per sample. */
    public static boolean applies(Model model) {
        return model.inputs().size() == 1 && model.outputs().size() == 1 && scalar(model.inputs().get(0))
                && scalar(model.outputs().get(0));
    }

    private static boolean scalar(Tensor t) {
        return t.isBatched() && t.sampleSize() == 1;
    }

    /**
     * The model's output at {@code points} evenly spaced x from {@code from} to {@code to}, by its
     * {@link Model#infer} in batches of at most {@link Model#maxBatch()}. Overwrites the model's
     * input and output buffers.
     */
    public static Curve learned(Model model, double from, double to, int points) {
        if (!applies(model)) {
            throw new IllegalArgumentException("model " + model.name() + " does not map one number to one number");
        }
        double[] x = grid(from, to, points);
        double[] y = new double[points];
        Tensor in = model.inputs().get(0);
        Tensor out = model.outputs().get(0);
        for (int start = 0; start < points; start += model.maxBatch()) {
            int n = Math.min(model.maxBatch(), points - start);
            for (int i = 0; i < n; i++) {
                in.set(i, x[start + i]);
            }
            model.infer(n);
            for (int i = 0; i < n; i++) {
                y[start + i] = out.get(i);
            }
        }
        return new Curve(x, y);
    }

    /** A function's values at {@code points} evenly spaced x from {@code from} to {@code to}. */
    public static Curve of(DoubleUnaryOperator f, double from, double to, int points) {
        double[] x = grid(from, to, points);
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return new Curve(x, y);
    }

    static double[] grid(double from, double to, int points) {
        if (points < 2 || !(from < to)) {
            throw new IllegalArgumentException("need at least 2 points over a range from < to, not " + points + " over [" + from + ", "
                    + to + "]");
        }
        double[] x = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = from + (to - from) * i / (points - 1);
        }
        x[points - 1] = to;
        return x;
    }

    /** The data points: the model's input and target columns of a data set, if it has both. */
    public static Optional<Curve> data(Model model, Dataset data) {
        if (data == null || model.targets().size() != 1 || !scalar(model.targets().get(0))) {
            return Optional.empty();
        }
        String x = model.inputs().get(0).name();
        String y = model.targets().get(0).name();
        if (!data.has(x) || !data.has(y) || data.width(x) != 1 || data.width(y) != 1) {
            return Optional.empty();
        }
        return Optional.of(new Curve(data.data(x).clone(), data.data(y).clone()));
    }

    /** The smallest and largest x of the data; a range of width 2 around a single value. */
    public static double[] range(Curve data) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : data.x()) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("the data have no finite x");
        }
        return min < max ? new double[] {min, max} : new double[] {min - 1, max + 1};
    }

    /**
     * The chart: the true function (if known), the learned function and the data points (if any).
     *
     * @param data the data points, or null
     * @param truth the true function at the learned curve's x, or null
     */
    public static XYChart chart(String model, String xName, String yName, Curve learned, Curve data, Curve truth) {
        XYChart chart = Style.xy(model + ": learned function", xName, yName);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(4);
        if (truth != null) {
            line(chart, TRUE, truth, Style.GREEN);
        }
        line(chart, LEARNED, learned, Style.RED);
        if (data != null) {
            // Last, so the points show on top of the curves (without noise they lie on the true one).
            XYSeries s = chart.addSeries(DATA, data.x(), data.y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Style.GREY);
            s.setLineColor(Style.GREY);
        }
        // Data outside the curves' range would stretch the x axis past them.
        chart.getStyler().setXAxisMin(learned.x()[0]);
        chart.getStyler().setXAxisMax(learned.x()[learned.x().length - 1]);
        return chart;
    }

    private static void line(XYChart chart, String name, Curve c, java.awt.Color colour) {
        XYSeries s = chart.addSeries(name, c.x(), c.y());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(Style.LINE);
    }
}
