package nnc.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import nnc.runtime.Trainer.EpochResult;

/** Training curves over epochs: loss, and accuracy for classifiers; training and validation. */
public final class Curves {
    private Curves() {}

    /** Series names, also the legend's text. */
    public static final String TRAIN = "training";
    public static final String VALIDATION = "validation";

    /** Markers on each epoch's point while they are few enough to tell apart. */
    private static final int MARKERS_UP_TO = 40;

    /**
     * Training and validation loss per epoch, the y axis logarithmic when the loss spans a decade
     * or more. Epochs whose loss is not finite (diverged) are left out; empty if no epoch has one.
     */
    public static Optional<XYChart> loss(String model, List<EpochResult> epochs) {
        Series train = series(epochs, EpochResult::trainLoss);
        Series validation = series(epochs, EpochResult::validationLoss);
        if (train.isEmpty() && validation.isEmpty()) {
            return Optional.empty();
        }
        boolean log = logScale(train, validation);
        XYChart chart = Style.xy(model + ": loss", "epoch", log ? "loss (log scale)" : "loss");
        chart.getStyler().setYAxisLogarithmic(log);
        add(chart, TRAIN, train, Style.TRAIN, epochs.size());
        add(chart, VALIDATION, validation, Style.VALIDATION, epochs.size());
        epochAxis(chart, epochs, train.isEmpty() ? validation : train);
        return Optional.of(chart);
    }

    /** Training and validation accuracy per epoch; empty if no epoch has one (not a classifier). */
    public static Optional<XYChart> accuracy(String model, List<EpochResult> epochs) {
        Series train = series(epochs, EpochResult::trainAccuracy);
        Series validation = series(epochs, EpochResult::validationAccuracy);
        if (train.isEmpty() && validation.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Style.xy(model + ": accuracy", "epoch", "accuracy");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        add(chart, TRAIN, train, Style.TRAIN, epochs.size());
        add(chart, VALIDATION, validation, Style.VALIDATION, epochs.size());
        epochAxis(chart, epochs, train.isEmpty() ? validation : train);
        return Optional.of(chart);
    }

    /** The epochs whose value is finite, and the values. */
    record Series(double[] epochs, double[] values) {
        boolean isEmpty() {
            return epochs.length == 0;
        }
    }

    static Series series(List<EpochResult> epochs, ToDoubleFunction<EpochResult> value) {
        List<double[]> points = new ArrayList<>();
        for (EpochResult r : epochs) {
            double v = value.applyAsDouble(r);
            if (Double.isFinite(v)) {
                points.add(new double[] {r.epoch(), v});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series(x, y);
    }

    /** Logarithmic when every value is positive and the largest is at least ten times the smallest. */
    static boolean logScale(Series... series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > 0 && max >= 10 * min;
    }

    private static void add(XYChart chart, String name, Series s, Color colour, int epochs) {
        if (s.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, s.epochs, s.values);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setLineColor(colour);
        series.setLineStyle(Style.LINE);
        series.setMarkerColor(colour);
        series.setMarker(epochs <= MARKERS_UP_TO || s.epochs.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /** Few epochs: at most this many get a tick each. */
    private static final int TICK_EVERY_EPOCH_UP_TO = 20;

    /** Epochs are whole numbers: no tick between two of them, no decimals. */
    private static void epochAxis(XYChart chart, List<EpochResult> epochs, Series anchor) {
        if (epochs.size() <= TICK_EVERY_EPOCH_UP_TO) {
            // The axis would put ticks at 1.5 and label it "2"; this labels whole epochs only.
            chart.setCustomXAxisTickLabelsFormatter(x -> x == Math.rint(x) ? String.format(Locale.ROOT, "%d", x.longValue()) : "");
        } else if (!anchor.isEmpty()) {
            chart.getStyler().setXAxisDecimalPattern("#,##0");
            // XChart ticks equally spaced x values at every k-th value (1, 39, 77, ...); one x
            // between two epochs, drawn as nothing (a line of one point), gives round ticks (200,
            // 400, ...) instead.
            XYSeries s = chart.addSeries(" ", new double[] {anchor.epochs[0] + 0.5}, new double[] {anchor.values[0]});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
        }
        if (epochs.size() == 1) {
            // One point has no range; give the axis one around it.
            int e = epochs.get(0).epoch();
            chart.getStyler().setXAxisMin(e - 1.0);
            chart.getStyler().setXAxisMax(e + 1.0);
        }
    }
}
