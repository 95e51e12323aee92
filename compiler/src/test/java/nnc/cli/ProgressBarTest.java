package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import nnc.runtime.Trainer;
import org.junit.jupiter.api.Test;

/** The progress bar against a fake clock and a fake terminal: what it draws, and how often. */
class ProgressBarTest {
    long now;
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    ProgressBar bar(int width) {
        return new ProgressBar(new PrintStream(screen, true, StandardCharsets.UTF_8), () -> now, width);
    }

    String drawn() {
        String s = screen.toString(StandardCharsets.UTF_8);
        screen.reset();
        return s;
    }

    static final long MS = 1_000_000;

    @Test
    void drawsTheEpochsBatchesLossSpeedAndTimeLeftInPlace() {
        ProgressBar p = bar(100);
        now = 1000 * MS;
        p.onEpochStart(3, 20, 100);
        now += 500 * MS;
        p.onBatch(25, 3200, 0.25);
        // A quarter of the epoch in 0.5 s: 1.5 s left; epochs 1 and 2 took no time here, so the run's
        // 2.25 epochs took 0.5 s and 17.75 are left: 3.94 s.
        String line = "epoch 3/20 [======>" + " ".repeat(20) + "] 25/100  loss 0.250000  6,400 samples/s  ETA 0:02, run 0:04";
        assertEquals(99, line.length());
        assertEquals("\r" + line + "\r", drawn());
    }

    @Test
    void redrawsAtMostFourTimesASecond() {
        ProgressBar p = bar(80);
        now = 0;
        p.onEpochStart(1, 1, 1000);
        int draws = 0;
        for (int b = 1; b <= 1000; b++) {
            now += MS; // a batch a millisecond: one second in all
            p.onBatch(b, b * 10, 1.0 / b);
            if (!drawn().isEmpty()) {
                draws++;
            }
        }
        assertEquals(4, draws);
    }

    @Test
    void theEpochsEndErasesTheBarForItsSummaryLine() {
        ProgressBar p = bar(40);
        now = 0;
        p.onEpochStart(1, 2, 4);
        now += 300 * MS;
        p.onBatch(1, 10, 2);
        drawn();
        p.onEpoch(new Trainer.EpochResult(1, 2, 1, Double.NaN, 0.1, 1, Double.NaN, Double.NaN));
        assertEquals("\r" + " ".repeat(39) + "\r", drawn());
        // Nothing drawn in the next epoch yet: nothing to erase at the end.
        p.onEpochStart(2, 2, 4);
        p.onEnd(null);
        assertEquals("", drawn());
    }

    @Test
    void aNarrowTerminalGetsTheFiguresWithoutTheBarCutToItsWidth() {
        ProgressBar p = bar(50);
        now = 0;
        p.onEpochStart(12, 300, 469);
        now += 2000 * MS;
        p.onBatch(100, 25600, 0.123456789);
        String s = drawn();
        String line = s.substring(1, s.length() - 1).stripTrailing();
        assertEquals("epoch 12/300 100/469  loss 0.123457  12,800 sampl", line);
        assertTrue(line.length() <= 49, line);
    }

    @Test
    void clocksCountMinutesAndHours() {
        assertEquals("0:00", ProgressBar.clock(0.4));
        assertEquals("1:05", ProgressBar.clock(65));
        assertEquals("1:00:01", ProgressBar.clock(3601));
    }
}
