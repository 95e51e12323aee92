package nnc.runtime.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nnc.runtime.ErrorCode;

/**
 * An immutable table of samples in memory: named columns, each holding one tensor per sample
 * (flat, row-major) as doubles. All columns have the same number of rows.
 */
public final class Dataset {
    /** One named tensor per sample: {@code rows * size(shape)} values. */
    public record Column(int[] shape, double[] data) {
        public Column {
            shape = shape.clone();
            data = data.clone();
        }

        public int width() {
            return Dataset.width(shape);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** A column as stored: the data set's own arrays, never handed out to be changed. */
    private record Stored(int[] shape, int width, double[] data) {}

    private final String source;
    private final int size;
    private final Map<String, Stored> columns;
    /** Columns rounded to float, made on first request ({@link #floats}). */
    private final Map<String, float[]> floats = new ConcurrentHashMap<>();

    private Dataset(String source, Map<String, Stored> columns) {
        this.source = source;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        int rows = -1;
        for (Map.Entry<String, Stored> e : columns.entrySet()) {
            Stored c = e.getValue();
            if (c.data.length % c.width != 0) {
                throw DataException.in(ErrorCode.E507, source, "column " + e.getKey() + " has " + c.data.length
                        + " values, not a multiple of its width " + c.width);
            }
            int r = c.data.length / c.width;
            if (rows >= 0 && r != rows) {
                throw DataException.in(ErrorCode.E507, source, "column " + e.getKey() + " has " + r + " rows, others " + rows);
            }
            rows = r;
        }
        this.size = Math.max(rows, 0);
    }

    private static int width(int[] shape) {
        int w = 1;
        for (int d : shape) {
            w *= d;
        }
        return w;
    }

    /** A data set from named columns; {@code source} names it in messages (a path, {@code builtin:regression}). */
    public static Dataset of(String source, Map<String, Column> columns) {
        Map<String, Stored> stored = new LinkedHashMap<>();
        // A Column holds its own copies already.
        columns.forEach((name, c) -> stored.put(name, new Stored(c.shape, c.width(), c.data)));
        return new Dataset(source, stored);
    }

    /**
     * A data set over arrays it does not copy, for loaders in this package whose arrays nobody else
     * holds: image sets are hundreds of megabytes, and a {@link Column} would copy them.
     *
     * @param shapes per-sample shape of each column, in column order
     * @param data each column's values, row after row
     */
    static Dataset wrap(String source, Map<String, int[]> shapes, Map<String, double[]> data) {
        Map<String, Stored> stored = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> stored.put(name, new Stored(shape.clone(), width(shape), data.get(name))));
        return new Dataset(source, stored);
    }

    public String source() {
        return source;
    }

    /** Number of samples. */
    public int size() {
        return size;
    }

    public Set<String> names() {
        return columns.keySet();
    }

    public boolean has(String name) {
        return columns.containsKey(name);
    }

    /** The values of one column, row after row (the dataset's own array: do not modify). */
    public double[] data(String name) {
        return column(name).data;
    }

    /**
     * The values of one column rounded to float, row after row: a copy made on the first request
     * and kept, since the data never changes (the data set's own array: do not modify). It costs
     * half the doubles' memory again; in return a float model's batches are plain copies of rows
     * ({@link Batches#load}), half the bytes and no conversion.
     */
    public float[] floats(String name) {
        return floats.computeIfAbsent(name, n -> {
            double[] d = data(n);
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        });
    }

    public int width(String name) {
        return column(name).width;
    }

    public int[] shape(String name) {
        return column(name).shape.clone();
    }

    private Stored column(String name) {
        Stored c = columns.get(name);
        if (c == null) {
            throw DataException.in(ErrorCode.E507, source, "no column " + name + " (it has " + String.join(", ", columns.keySet()) + ")");
        }
        return c;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " outside 0.." + size);
        }
        Map<String, Stored> sliced = new LinkedHashMap<>();
        columns.forEach((name, c) -> sliced.put(name,
                new Stored(c.shape, c.width, Arrays.copyOfRange(c.data, from * c.width, to * c.width))));
        return new Dataset(source, sliced);
    }
}
