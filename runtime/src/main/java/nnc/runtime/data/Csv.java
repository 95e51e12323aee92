package nnc.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.AtomicFiles;
import nnc.runtime.ErrorCode;
import nnc.runtime.Model;
import nnc.runtime.Tensor;

/**
 * CSV files with a header row. A tensor {@code x} of one value per sample is the column {@code x};
 * of k &gt; 1 values, the columns {@code x[0]} ... {@code x[k-1]} (flattened, row-major).
 */
public final class Csv {
    private Csv() {}

    /** The columns a model reads: its inputs and targets with their per-sample shapes. */
    public static Map<String, int[]> columns(Model m) {
        Map<String, int[]> wanted = new LinkedHashMap<>();
        for (Tensor t : m.inputs()) {
            wanted.put(t.name(), t.shape());
        }
        for (Tensor t : m.targets()) {
            wanted.put(t.name(), t.shape());
        }
        return wanted;
    }

    /** The header names of a tensor of {@code width} values. */
    public static List<String> headers(String name, int width) {
        List<String> h = new ArrayList<>();
        if (width == 1) {
            h.add(name);
        } else {
            for (int i = 0; i < width; i++) {
                h.add(name + "[" + i + "]");
            }
        }
        return h;
    }

    /** Reads the columns {@code wanted} names (tensor name to per-sample shape); others are ignored. */
    public static Dataset read(Path file, Map<String, int[]> wanted) {
        String src = file.toString();
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] header = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].trim();
                }
                if (header == null) {
                    header = cells;
                    continue;
                }
                if (cells.length != header.length) {
                    throw DataException.at(ErrorCode.E505, src, number, "expected " + header.length + " columns as in the header, found " + cells.length);
                }
                rows.add(cells);
                lineNumbers.add(number);
            }
        } catch (NoSuchFileException e) {
            throw DataException.in(ErrorCode.E501, src, "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw DataException.in(ErrorCode.E503, src, "not UTF-8 text");
        } catch (IOException e) {
            throw DataException.in(ErrorCode.E503, src, "cannot read: " + e.getMessage());
        }
        if (header == null) {
            throw DataException.in(ErrorCode.E504, src, "empty file: expected a header row naming the columns");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (index.put(header[i], i) != null) {
                throw DataException.at(ErrorCode.E504, src, 1, "column '" + header[i] + "' appears twice in the header");
            }
        }
        if (rows.isEmpty()) {
            throw DataException.in(ErrorCode.E504, src, "no data rows after the header");
        }
        Map<String, Dataset.Column> columns = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> w : wanted.entrySet()) {
            int width = 1;
            for (int d : w.getValue()) {
                width *= d;
            }
            List<String> names = headers(w.getKey(), width);
            int[] at = new int[width];
            for (int k = 0; k < width; k++) {
                Integer i = index.get(names.get(k));
                if (i == null) {
                    throw DataException.at(ErrorCode.E504, src, 1, "missing column '" + names.get(k) + "'"
                            + (width > 1 ? " (" + w.getKey() + " has " + width + " values: columns " + names.get(0)
                                    + " .. " + names.get(width - 1) + ")" : ""));
                }
                at[k] = i;
            }
            double[] data = new double[rows.size() * width];
            for (int r = 0; r < rows.size(); r++) {
                for (int k = 0; k < width; k++) {
                    String cell = rows.get(r)[at[k]];
                    double v;
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw DataException.at(ErrorCode.E506, src, lineNumbers.get(r), "column " + names.get(k) + ": '" + cell + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        throw DataException.at(ErrorCode.E506, src, lineNumbers.get(r), "column " + names.get(k) + ": " + cell + " is not finite");
                    }
                    data[r * width + k] = v;
                }
            }
            columns.put(w.getKey(), new Dataset.Column(w.getValue(), data));
        }
        return Dataset.of(src, columns);
    }

    /** Writes every column of {@code d}: to a temporary file first, then renamed over {@code file}. */
    public static void write(Path file, Dataset d) throws IOException {
        AtomicFiles.write(file, w -> {
            List<String> header = new ArrayList<>();
            for (String name : d.names()) {
                header.addAll(headers(name, d.width(name)));
            }
            w.write(String.join(",", header));
            w.write('\n');
            for (int r = 0; r < d.size(); r++) {
                StringBuilder line = new StringBuilder();
                for (String name : d.names()) {
                    int width = d.width(name);
                    double[] data = d.data(name);
                    for (int k = 0; k < width; k++) {
                        if (line.length() > 0) {
                            line.append(',');
                        }
                        line.append(data[r * width + k]); // Double.toString reads back exactly
                    }
                }
                w.write(line.append('\n').toString());
            }
        });
    }
}
