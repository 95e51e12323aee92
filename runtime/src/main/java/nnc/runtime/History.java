package nnc.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.DataException;

/**
 * A training run's figures, one {@link Trainer.EpochResult} per epoch, and its CSV file
 * ({@code nnc train --history FILE.csv}): a header row of {@link #COLUMNS}, then one row per epoch.
 * A figure that was not measured (a validation loss without validation data, an accuracy of a model
 * that is not a classifier) is NaN in memory and an empty cell in the file.
 */
public final class History {
    /** The file's columns, in the order it writes them. */
    public static final List<String> COLUMNS = List.of("epoch", "train_loss", "validation_loss", "train_accuracy",
            "validation_accuracy", "learning_rate", "seconds");

    private final List<Trainer.EpochResult> rows = new ArrayList<>();
    /** The file's text so far: rewritten after every epoch, it is formatted once per row. */
    private final StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');

    public History() {}

    public History(List<Trainer.EpochResult> rows) {
        for (Trainer.EpochResult r : rows) {
            add(r);
        }
    }

    /** Appends an epoch; epochs must come in increasing order. */
    public void add(Trainer.EpochResult row) {
        if (!rows.isEmpty() && row.epoch() <= rows.get(rows.size() - 1).epoch()) {
            throw new IllegalArgumentException("epoch " + row.epoch() + " after epoch " + rows.get(rows.size() - 1).epoch());
        }
        rows.add(row);
        csv.append(row.epoch()).append(',').append(cell(row.trainLoss())).append(',').append(cell(row.validationLoss())).append(',')
                .append(cell(row.trainAccuracy())).append(',').append(cell(row.validationAccuracy())).append(',')
                .append(cell(row.learningRate())).append(',').append(cell(row.seconds())).append('\n');
    }

    public List<Trainer.EpochResult> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** A listener that appends every epoch to this history. */
    public TrainingListener recorder() {
        return new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult result) {
                add(result);
            }
        };
    }

    /** The file's text: the header and a row per epoch; numbers as Java prints them (exact round trip). */
    public String toCsv() {
        return csv.toString();
    }

    /** Writes the file atomically: a reader, or a run killed while writing, sees the old file or the new. */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, w -> w.append(csv));
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /**
     * Reads a history file. Its header names the columns in any order and must hold every one of
     * {@link #COLUMNS} (others are ignored). An epoch's {@code epochs} is the file's last epoch.
     *
     * @throws DataException naming the file and the line of what is wrong
     */
    public static History readCsv(Path file) {
        String src = file.toString();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (NoSuchFileException e) {
            throw DataException.in(ErrorCode.E501, src, "no such file");
        } catch (CharacterCodingException e) {
            throw DataException.in(ErrorCode.E503, src, "not UTF-8 text");
        } catch (IOException e) {
            throw DataException.in(ErrorCode.E503, src, "cannot read: " + e.getMessage());
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw DataException.at(ErrorCode.E520, src, 1, "expected a header row: " + String.join(",", COLUMNS));
        }
        String[] header = lines.get(0).strip().split(",", -1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            index.putIfAbsent(header[i].strip(), i);
        }
        for (String c : COLUMNS) {
            if (!index.containsKey(c)) {
                throw DataException.at(ErrorCode.E520, src, 1, "no column " + c + " in the header (a history file has: " + String.join(",", COLUMNS) + ")");
            }
        }
        List<double[]> values = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            int number = n + 1;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.strip().split(",", -1);
            if (cells.length != header.length) {
                throw DataException.at(ErrorCode.E520, src, number, "expected " + header.length + " values as in the header, found " + cells.length);
            }
            String epochText = cells[index.get("epoch")].strip();
            int epoch;
            try {
                epoch = Integer.parseInt(epochText);
            } catch (NumberFormatException e) {
                throw DataException.at(ErrorCode.E520, src, number, "column epoch: '" + epochText + "' is not a whole number");
            }
            if (epoch < 1 || (!epochs.isEmpty() && epoch <= epochs.get(epochs.size() - 1))) {
                throw DataException.at(ErrorCode.E520, src, number, "epoch " + epoch + (epochs.isEmpty() ? " is not at least 1"
                        : " does not follow epoch " + epochs.get(epochs.size() - 1)));
            }
            double[] v = new double[COLUMNS.size()];
            for (int c = 1; c < COLUMNS.size(); c++) {
                String name = COLUMNS.get(c);
                String text = cells[index.get(name)].strip();
                if (text.isEmpty()) {
                    v[c] = Double.NaN;
                    continue;
                }
                try {
                    v[c] = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw DataException.at(ErrorCode.E520, src, number, "column " + name + ": '" + text + "' is not a number");
                }
            }
            epochs.add(epoch);
            values.add(v);
        }
        History h = new History();
        int last = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1);
        for (int i = 0; i < values.size(); i++) {
            double[] v = values.get(i);
            h.add(new Trainer.EpochResult(epochs.get(i), last, v[1], v[2], v[5], v[6], v[3], v[4]));
        }
        return h;
    }
}
