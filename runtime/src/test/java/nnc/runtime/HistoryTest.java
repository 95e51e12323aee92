package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.runtime.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path dir;

    static final Trainer.EpochResult FIRST = new Trainer.EpochResult(1, 3, 0.5, 0.625, 0.1, 0.25, 0.75, 0.8);
    static final Trainer.EpochResult SECOND = new Trainer.EpochResult(2, 3, 1.0 / 3, Double.NaN, 0.05, 1e-3, Double.NaN, Double.NaN);

    @Test
    void writesAHeaderAndARowPerEpochWithEmptyCellsForWhatWasNotMeasured() {
        History h = new History(List.of(FIRST, SECOND));
        assertEquals("""
                epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,learning_rate,seconds
                1,0.5,0.625,0.75,0.8,0.1,0.25
                2,0.3333333333333333,,,,0.05,0.001
                """, h.toCsv());
    }

    @Test
    void readsBackWhatItWroteExactly() throws IOException {
        Path file = dir.resolve("h.csv");
        new History(List.of(FIRST, SECOND)).writeCsv(file);
        List<Trainer.EpochResult> rows = History.readCsv(file).rows();
        // epochs is the file's last epoch: the file does not keep the planned total.
        assertEquals(List.of(new Trainer.EpochResult(1, 2, 0.5, 0.625, 0.1, 0.25, 0.75, 0.8), withEpochs(SECOND, 2)), rows);
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("h.csv");
        History h = new History();
        h.recorder().onEpoch(FIRST);
        h.writeCsv(file);
        assertEquals(1, History.readCsv(file).rows().size());
        h.recorder().onEpoch(SECOND);
        h.writeCsv(file);
        assertEquals(2, History.readCsv(file).rows().size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void columnsMayComeInAnyOrderAndExtraOnesAreIgnored() throws IOException {
        Path file = dir.resolve("h.csv");
        Files.writeString(file, "seconds,note,learning_rate,validation_accuracy,train_accuracy,validation_loss,train_loss,epoch\r\n"
                + "0.25,x,0.1,0.8,0.75,0.625,0.5,1\r\n");
        assertEquals(List.of(withEpochs(FIRST, 1)), History.readCsv(file).rows());
    }

    @Test
    void badFilesAreReportedWithTheFileAndLine() throws IOException {
        assertEquals(dir.resolve("none.csv") + ": error[E501]: no such file", message(dir.resolve("none.csv")));
        Path file = dir.resolve("h.csv");
        Files.writeString(file, "");
        assertEquals(file + ":1: error[E520]: expected a header row: epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,"
                + "learning_rate,seconds", message(file));
        Files.writeString(file, "epoch,train_loss\n1,2\n");
        assertEquals(file + ":1: error[E520]: no column validation_loss in the header (a history file has: epoch,train_loss,validation_loss,"
                + "train_accuracy,validation_accuracy,learning_rate,seconds)", message(file));
        String header = String.join(",", History.COLUMNS) + "\n";
        Files.writeString(file, header + "1,0.5,,,,0.1,0.2\n2,oops,,,,0.1,0.2\n");
        assertEquals(file + ":3: error[E520]: column train_loss: 'oops' is not a number", message(file));
        Files.writeString(file, header + "1,0.5,,,,0.1\n");
        assertEquals(file + ":2: error[E520]: expected 7 values as in the header, found 6", message(file));
        Files.writeString(file, header + "first,0.5,,,,0.1,0.2\n");
        assertEquals(file + ":2: error[E520]: column epoch: 'first' is not a whole number", message(file));
        Files.writeString(file, header + "2,0.5,,,,0.1,0.2\n2,0.5,,,,0.1,0.2\n");
        assertEquals(file + ":3: error[E520]: epoch 2 does not follow epoch 2", message(file));
        Files.writeString(file, header + "0,0.5,,,,0.1,0.2\n");
        assertEquals(file + ":2: error[E520]: epoch 0 is not at least 1", message(file));
        Files.write(file, new byte[] {'e', (byte) 0xff, '\n'});
        assertEquals(file + ": error[E503]: not UTF-8 text", message(file));
    }

    private static Trainer.EpochResult withEpochs(Trainer.EpochResult r, int epochs) {
        return new Trainer.EpochResult(r.epoch(), epochs, r.trainLoss(), r.validationLoss(), r.learningRate(), r.seconds(),
                r.trainAccuracy(), r.validationAccuracy());
    }

    private static String message(Path file) {
        return assertThrows(DataException.class, () -> History.readCsv(file)).getMessage();
    }
}
