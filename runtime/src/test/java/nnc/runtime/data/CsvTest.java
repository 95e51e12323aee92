package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    static final Map<String, int[]> XY = new LinkedHashMap<>();

    static {
        XY.put("x", new int[] {2});
        XY.put("y", new int[] {1});
    }

    Path file(String text) throws IOException {
        Path p = dir.resolve("d.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsNamedColumnsInAnyOrderIgnoringOthers() throws IOException {
        Dataset d = Csv.read(file("y,note,x[1],x[0]\r\n1.5,7,2,3\n\n-1,8,4e-1,5\n"), XY);
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {3, 2, 5, 0.4}, d.data("x"));
        assertArrayEquals(new double[] {1.5, -1}, d.data("y"));
    }

    @Test
    void writesWhatItReads() throws IOException {
        Dataset d = Csv.read(file("x[0],x[1],y\n0.1,0.2,0.30000000000000004\n"), XY);
        Path copy = dir.resolve("copy.csv");
        Csv.write(copy, d);
        Dataset again = Csv.read(copy, XY);
        assertArrayEquals(d.data("x"), again.data("x"));
        assertArrayEquals(d.data("y"), again.data("y"));
    }

    String error(String text) throws IOException {
        Path p = file(text);
        return assertThrows(DataException.class, () -> Csv.read(p, XY)).getMessage().replace(p.toString(), "d.csv");
    }

    @Test
    void everyMistakeNamesTheFileAndLine() throws IOException {
        assertEquals("d.csv: error[E504]: empty file: expected a header row naming the columns", error(""));
        assertEquals("d.csv: error[E504]: no data rows after the header", error("x[0],x[1],y\n"));
        assertEquals("d.csv:1: error[E504]: missing column 'x[1]' (x has 2 values: columns x[0] .. x[1])", error("x[0],y\n1,2\n"));
        assertEquals("d.csv:3: error[E505]: expected 3 columns as in the header, found 2", error("x[0],x[1],y\n1,2,3\n1,2\n"));
        assertEquals("d.csv:2: error[E506]: column x[1]: 'abc' is not a number", error("x[0],x[1],y\n1,abc,3\n"));
        assertEquals("d.csv:2: error[E506]: column y: NaN is not finite", error("x[0],x[1],y\n1,2,NaN\n"));
        assertEquals("d.csv:1: error[E504]: column 'y' appears twice in the header", error("x[0],y,x[1],y\n1,2,3,4\n"));
    }

    @Test
    void aMissingFileIsNamed() {
        DataException e = assertThrows(DataException.class, () -> Csv.read(dir.resolve("nope.csv"), XY));
        assertEquals(dir.resolve("nope.csv") + ": error[E501]: no such file", e.getMessage());
    }
}
