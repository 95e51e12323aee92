package nnc.plot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.AxesChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;

/** Writes a chart as a PNG and an SVG file of the same base name, each atomically. */
public final class ChartFiles {
    private ChartFiles() {}

    /**
     * Writes {@code dir/base.png} and {@code dir/base.svg}, creating {@code dir} if needed.
     *
     * @return the two files, PNG first
     */
    public static List<Path> write(Chart<?, ?> chart, Path dir, String base) throws IOException {
        // Both are drawn in memory first, so a chart that fails to draw leaves no file behind.
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        Path pngFile = dir.resolve(base + ".png");
        Path svgFile = dir.resolve(base + ".svg");
        writeAtomically(pngFile, png);
        writeAtomically(svgFile, described(svg.toString(StandardCharsets.UTF_8), chart).getBytes(StandardCharsets.UTF_8));
        return List.of(pngFile, svgFile);
    }

    /**
     * The SVG with a {@code <title>} and a {@code <desc>} naming the series and axes: XChart draws
     * text as outlines, so without them the file holds no words for a screen reader, a search or a
     * browser's tooltip.
     */
    static String described(String svg, Chart<?, ?> chart) {
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            throw new IllegalStateException("XChart wrote no <svg> element");
        }
        StringBuilder desc = new StringBuilder();
        if (chart instanceof AxesChart<?, ?> axes) {
            desc.append("x: ").append(axes.getXAxisTitle()).append("; y: ").append(axes.getYAxisTitle()).append("; ");
        }
        desc.append("series: ");
        String sep = "";
        for (Series s : chart.getSeriesCollection()) {
            if (s.isShowInLegend()) {
                desc.append(sep).append(s.getName());
                sep = ", ";
            }
        }
        String meta = "\n  <title>" + xml(chart.getTitle()) + "</title>\n  <desc>" + xml(desc.toString()) + "</desc>";
        return svg.substring(0, end + 1) + meta + svg.substring(end + 1);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Readers see the old file or the new one, never part of it: temporary file, fsync, rename. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // A temporary file is private to its owner; a picture is for anyone to open.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
