package nnc.plot;

import static nnc.plot.Pictures.drawn;
import static nnc.plot.Pictures.pixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.w3c.dom.Document;

class LayerBarsTest {
    @TempDir
    Path dir;

    @Test
    void twoSeriesOfExplodingAndVanishingValuesGetALogScaleAndOneBarEach() throws Exception {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("activation std", new double[] {1, 3, 9, 27, 81});
        series.put("gradient std", new double[] {50, 10, 2, 0.4, 0.08});
        List<String> layers = List.of("h.1", "h.2", "h.3", "h.4", "h.5");
        CategoryChart chart = LayerBars.chart("Deep: standard deviations", "standard deviation", layers, series, LayerBars.Scale.AUTO);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        ChartFiles.write(chart, dir, "std");
        Pictures.holdsExactly(dir, "std.png", "std.svg");
        BufferedImage png = Pictures.png(dir.resolve("std.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(png, Style.SERIES[0]) > 2000, "first series' bars");
        assertTrue(pixels(png, Style.SERIES[1]) > 2000, "second series' bars");
        Document svg = Pictures.svg(dir.resolve("std.svg"));
        assertEquals("Deep: standard deviations", Pictures.text(svg, "title"));
        assertEquals("x: layer; y: standard deviation (log scale); series: activation std, gradient std", Pictures.text(svg, "desc"));
        // One bar per layer, and a swatch in the legend.
        assertEquals(layers.size() + 1, drawn(svg, "fill", Style.SERIES[0]).size());
        assertEquals(layers.size() + 1, drawn(svg, "fill", Style.SERIES[1]).size());
    }

    @Test
    void deadUnitsWithZerosStayLinearAndAreDrawnWithoutALegend() throws Exception {
        List<String> layers = new ArrayList<>();
        double[] dead = new double[20];
        for (int i = 0; i < 20; i++) {
            layers.add("h." + (i + 1));
            dead[i] = i % 3 == 0 ? 0 : i;
        }
        CategoryChart chart = LayerBars.chart("Deep: dead units", "dead units", layers, Map.of("dead", dead), LayerBars.Scale.AUTO);
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        ChartFiles.write(chart, dir, "dead");
        BufferedImage png = Pictures.png(dir.resolve("dead.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(png, Style.SERIES[0]) > 1000);
        Document svg = Pictures.svg(dir.resolve("dead.svg"));
        // Zero-height bars are still drawn (as empty rectangles); no legend swatch for one series.
        assertEquals(layers.size(), drawn(svg, "fill", Style.SERIES[0]).size());
    }

    @Test
    void manyLayersWidenTheChart() throws Exception {
        List<String> layers = new ArrayList<>();
        double[] v = new double[50];
        for (int i = 0; i < 50; i++) {
            layers.add("h." + (i + 1));
            v[i] = Math.pow(1.3, i);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("activation", v);
        series.put("gradient", v.clone());
        CategoryChart chart = LayerBars.chart("Deep50", "std", layers, series, LayerBars.Scale.LOG);
        assertTrue(chart.getWidth() > Style.WIDTH, "100 bars need more than " + Style.WIDTH + " pixels");
        ChartFiles.write(chart, dir, "wide");
        Pictures.png(dir.resolve("wide.png"), chart.getWidth(), Style.HEIGHT);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        List<String> layers = List.of("a", "b");
        var e = assertThrows(IllegalArgumentException.class,
                () -> LayerBars.chart("t", "y", layers, Map.of("s", new double[] {1}), LayerBars.Scale.LINEAR));
        assertEquals("series s has 1 values for 2 layers", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBars.chart("t", "y", layers, Map.of("s", new double[] {1, 0}), LayerBars.Scale.LOG));
        assertEquals("a logarithmic scale needs positive values, not 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBars.chart("t", "y", layers, Map.of("s", new double[] {1, Double.NaN}), LayerBars.Scale.LINEAR));
        assertEquals("series s has a value that is not finite: NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerBars.chart("t", "y", List.of(), Map.of(), LayerBars.Scale.LINEAR));
    }
}
