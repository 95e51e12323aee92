package nnc.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

/**
 * One bar per layer and series: activation or gradient standard deviations, dead units, anything
 * measured layer by layer ({@code nnc diagnose}).
 */
public final class LayerBars {
    private LayerBars() {}

    /** The y axis. */
    public enum Scale {
        LINEAR,
        /** Logarithmic; every value must be positive. */
        LOG,
        /** Logarithmic when every value is positive and the largest is at least 100 times the smallest. */
        AUTO
    }

    private static final int PIXELS_PER_BAR = 14;

    /**
     * A bar chart.
     *
     * @param title the chart's title (name the model in it)
     * @param yTitle what the values are
     * @param layers the layers' names, left to right
     * @param series named series of one value per layer, in legend order
     * @throws IllegalArgumentException if a series has not one value per layer, a value is not
     *     finite, or a logarithmic scale is asked for values that are not all positive
     */
    public static CategoryChart chart(String title, String yTitle, List<String> layers, Map<String, double[]> series, Scale scale) {
        if (layers.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one layer and one series");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != layers.size()) {
                throw new IllegalArgumentException("series " + e.getKey() + " has " + e.getValue().length + " values for " + layers.size()
                        + " layers");
            }
            for (double v : e.getValue()) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("series " + e.getKey() + " has a value that is not finite: " + v);
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        boolean log = switch (scale) {
            case LINEAR -> false;
            case LOG -> {
                if (min <= 0) {
                    throw new IllegalArgumentException("a logarithmic scale needs positive values, not " + min);
                }
                yield true;
            }
            case AUTO -> min > 0 && max >= 100 * min;
        };
        int bars = layers.size() * series.size();
        int width = Math.max(Style.WIDTH, Math.min(4000, 160 + bars * PIXELS_PER_BAR));
        CategoryChart chart = Style.category(width, title, "layer", log ? yTitle + " (log scale)" : yTitle);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        if (layers.size() > 12) {
            chart.getStyler().setXAxisLabelRotation(90);
        }
        if (log) {
            // Bars grow from the decade below the smallest value (XChart's default floor is 0,
            // which has no logarithm).
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        } else {
            // Bars grow from zero, not from the smallest value.
            chart.getStyler().setYAxisMin(Math.min(0, min));
        }
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : e.getValue()) {
                values.add(v);
            }
            CategorySeries s = chart.addSeries(e.getKey(), layers, values);
            s.setFillColor(Style.SERIES[i % Style.SERIES.length]);
            i++;
        }
        return chart;
    }
}
