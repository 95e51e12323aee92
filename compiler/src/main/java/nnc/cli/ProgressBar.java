package nnc.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;

/**
 * The progress bar {@code nnc train} draws on a terminal: one line redrawn in place with the
 * epoch's batches done, its running loss, samples per second and the time left, erased when an
 * epoch ends so that its summary line takes its place:
 *
 * <pre>
 * epoch 3/20 [=========>           ] 45/118  loss 0.123456  51,200 samples/s  ETA 0:03, run 1:52
 * </pre>
 *
 * It draws at most {@link #REDRAWS_PER_SECOND} times a second whatever the batch rate, and
 * allocates only when it draws. The clock and the width are given, so tests need no terminal and
 * no real time.
 */
final class ProgressBar implements TrainingListener {
    static final int REDRAWS_PER_SECOND = 4;
    private static final long INTERVAL = 1_000_000_000L / REDRAWS_PER_SECOND;

    private final PrintStream out;
    private final LongSupplier nanos;
    private final int width;
    private long runStart = Long.MIN_VALUE;
    private long epochStart;
    private long lastDraw;
    private int epoch;
    private int epochs;
    private int batches;
    /** Whether a bar is on the screen, to be erased. */
    private boolean shown;

    /**
     * @param out the terminal
     * @param nanos a clock in nanoseconds, such as {@code System::nanoTime}
     * @param width the terminal's columns; the bar's line stays shorter than that
     */
    ProgressBar(PrintStream out, LongSupplier nanos, int width) {
        this.out = out;
        this.nanos = nanos;
        this.width = Math.max(20, width);
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        long now = nanos.getAsLong();
        if (runStart == Long.MIN_VALUE) {
            runStart = now;
            lastDraw = now;
        }
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.epochStart = now;
    }

    @Override
    public void onBatch(int batchesDone, int samplesDone, double runningLoss) {
        long now = nanos.getAsLong();
        if (now - lastDraw < INTERVAL) {
            return;
        }
        lastDraw = now;
        String line = line(batchesDone, samplesDone, runningLoss, now);
        out.print('\r' + line + " ".repeat(Math.max(0, width - 1 - line.length())) + '\r');
        out.flush();
        shown = true;
    }

    /** Erases the bar: the epoch's summary line, if any, comes next. */
    @Override
    public void onEpoch(Trainer.EpochResult result) {
        erase();
    }

    @Override
    public void onEnd(Trainer.Summary summary) {
        erase();
    }

    void erase() {
        if (shown) {
            out.print('\r' + " ".repeat(width - 1) + '\r');
            out.flush();
            shown = false;
        }
    }

    /** The bar's text, at most {@code width - 1} characters; the bar itself takes the room the figures leave. */
    String line(int done, int samples, double loss, long now) {
        double epochSeconds = (now - epochStart) / 1e9;
        double runSeconds = (now - runStart) / 1e9;
        double fraction = batches == 0 ? 1 : done / (double) batches;
        String epochLeft = fraction > 0 ? clock(epochSeconds / fraction - epochSeconds) : "?";
        double runFraction = ((epoch - 1) + fraction) / epochs;
        String runLeft = runFraction > 0 ? clock(runSeconds / runFraction - runSeconds) : "?";
        String head = String.format(Locale.ROOT, "epoch %d/%d ", epoch, epochs);
        String figures = String.format(Locale.ROOT, " %d/%d  loss %.6f  %s samples/s  ETA %s%s", done, batches, loss,
                epochSeconds > 0 ? String.format(Locale.ROOT, "%,d", Math.round(samples / epochSeconds)) : "?", epochLeft,
                epochs > 1 ? ", run " + runLeft : "");
        int room = width - 1 - head.length() - figures.length() - 2;
        if (room < 10) {
            String plain = (head + figures.substring(1));
            return plain.length() <= width - 1 ? plain : plain.substring(0, width - 1);
        }
        int filled = (int) Math.floor(fraction * room);
        StringBuilder bar = new StringBuilder(head).append('[');
        for (int i = 0; i < room; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return bar.append(']').append(figures).toString();
    }

    /** {@code 0:03}, {@code 12:34}, {@code 1:02:03}. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
