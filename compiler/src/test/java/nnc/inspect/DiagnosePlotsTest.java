package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnc diagnose --plots: the standard deviations and the dead units as bar charts, PNG and SVG. */
class DiagnosePlotsTest {
    @TempDir
    Path dir;

    @Test
    void writesTheStandardDeviationsAndTheDeadUnits() throws Exception {
        Diagnose.Report r = Diagnose.run(Models.check(DiagnoseTest.DEAD), new Diagnose.Settings(100, 5, 0, null));
        List<Path> files = DiagnosePlots.write(r, dir.resolve("plots"));
        assertEquals(List.of("diagnose-std.png", "diagnose-std.svg", "diagnose-dead-units.png", "diagnose-dead-units.svg"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path f : files) {
            assertTrue(Files.size(f) > 1000, f.toString());
        }
        String std = Files.readString(dir.resolve("plots/diagnose-std.svg"));
        assertTrue(std.contains("<title>Dead: standard deviations per layer at initialisation</title>"), std);
        assertTrue(std.contains("series: activation std, gradient std</desc>"), std);
        assertTrue(Files.readString(dir.resolve("plots/diagnose-dead-units.svg")).contains("<title>Dead: dead ReLU units"));
    }

    @Test
    void aModelWithoutReluHasNoDeadUnitChart() throws Exception {
        Diagnose.Report r = Diagnose.run(Models.check(Models.REGRESSION), new Diagnose.Settings(20, 2, 0, null));
        assertEquals(List.of("diagnose-std.png", "diagnose-std.svg"),
                DiagnosePlots.write(r, dir).stream().map(p -> p.getFileName().toString()).toList());
    }
}
