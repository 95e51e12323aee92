package nnc.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look every nnc chart shares: size, fonts, white background, a fixed colour per role. Every
 * chart is made here, so the headless switch below is set before AWT starts.
 */
final class Style {
    static {
        // Charts are drawn into images, never shown: no display is needed or wanted, also on a
        // desktop (AWT reads this property once, when it first starts).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Style() {}

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    // The first colours of matplotlib's tab10, which readers of the course know; distinct for the
    // common kinds of colour blindness in the order used.
    static final Color BLUE = new Color(31, 119, 180);
    static final Color ORANGE = new Color(255, 127, 14);
    static final Color GREEN = new Color(44, 160, 44);
    static final Color RED = new Color(214, 39, 40);
    static final Color PURPLE = new Color(148, 103, 189);
    static final Color BROWN = new Color(140, 86, 75);
    static final Color GREY = new Color(127, 127, 127);
    static final Color[] SERIES = {BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, GREY};

    /** Training and validation: the same two colours in every chart. */
    static final Color TRAIN = BLUE;
    static final Color VALIDATION = ORANGE;

    static final BasicStroke LINE = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        common(chart.getStyler());
        return chart;
    }

    static CategoryChart category(int width, String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        common(chart.getStyler());
        return chart;
    }

    private static void common(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        // Solid: the SVG writer turns every dash of a dashed line into a shape of its own.
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setSeriesColors(SERIES);
        s.setAntiAlias(true);
    }
}
