package nnc.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.plot.ChartFiles;
import nnc.plot.LayerBars;

/**
 * {@code nnc diagnose --plots DIR}: the per-layer statistics as bar charts, each as PNG and SVG:
 * the activations' and the gradients' standard deviations side by side (on a logarithmic scale
 * when they span two decades or more, as an explosion does), and the dead units of ReLU layers.
 */
public final class DiagnosePlots {
    private DiagnosePlots() {}

    /** Writes {@code diagnose-std} and, for a model with ReLU layers, {@code diagnose-dead-units}; returns the files. */
    public static List<Path> write(Diagnose.Report r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        // A bar needs a finite value: a std that overflowed, or a layer without a gradient, has none.
        List<Diagnose.Layer> measured = r.layers().stream()
                .filter(l -> Double.isFinite(l.activationStd()) && Double.isFinite(l.gradientStd())).toList();
        if (!measured.isEmpty()) {
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("activation std", measured.stream().mapToDouble(Diagnose.Layer::activationStd).toArray());
            series.put("gradient std", measured.stream().mapToDouble(Diagnose.Layer::gradientStd).toArray());
            files.addAll(ChartFiles.write(LayerBars.chart(r.model() + ": standard deviations per layer at initialisation",
                    "standard deviation", names(measured), series, LayerBars.Scale.AUTO), dir, "diagnose-std"));
        }
        List<Diagnose.Layer> relus = r.layers().stream().filter(l -> l.dead() >= 0).toList();
        if (!relus.isEmpty()) {
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("dead units", relus.stream().mapToDouble(Diagnose.Layer::dead).toArray());
            files.addAll(ChartFiles.write(LayerBars.chart(r.model() + ": dead ReLU units per layer at initialisation",
                    "dead units", names(relus), series, LayerBars.Scale.LINEAR), dir, "diagnose-dead-units"));
        }
        return files;
    }

    /** "h.1 dense", "h.1 relu": a row's name and kind, numbered if that is not enough to tell two apart. */
    private static List<String> names(List<Diagnose.Layer> layers) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Diagnose.Layer l : layers) {
            String name = l.row().name() + " " + l.row().kind();
            for (int k = 2; !seen.add(name); k++) {
                name = l.row().name() + " " + l.row().kind() + " #" + k;
            }
            names.add(name);
        }
        return names;
    }
}
