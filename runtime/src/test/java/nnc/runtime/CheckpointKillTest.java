package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of checkpoints: a training process that saves a checkpoint every epoch is killed
 * with SIGKILL at random moments (every other time just after a write has begun), again and again,
 * each run resuming from the file the last one left. Every time, the file loads (its checksum holds) and is the last checkpoint the process
 * reported or the one it was writing when it died: never a mixture, never nothing.
 */
class CheckpointKillTest {
    static final int TRIALS = 25;

    @TempDir
    Path dir;

    /** The process to kill: a 784-200 softmax regression with Adam (a 1.9 MB checkpoint) trained on 8 samples, so that saving takes most of each epoch. */
    public static final class Child {
        public static void main(String[] args) {
            Path file = Path.of(args[0]);
            ClassifierModel model = new ClassifierModel(784, 200, 4, false);
            model.initialize(1);
            Adam adam = new Adam(0.01, 0.9, 0.999, 1e-8, 0, false);
            Random r = new Random(3);
            double[] x = new double[8 * 784];
            double[] y = new double[8];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = i % 10;
            }
            Map<String, Dataset.Column> columns = new LinkedHashMap<>();
            columns.put("x", new Dataset.Column(new int[] {784}, x));
            columns.put("y", new Dataset.Column(new int[0], y));
            Trainer trainer = new Trainer(new Trainer.Config(1_000_000, 4, true, 5)).saveTo(file);
            PrintStream out = System.out;
            if (Files.exists(file)) {
                trainer.resumeFrom(file);
                out.println("resumed " + Checkpoint.read(file).epoch());
            }
            trainer.train(model, adam, Dataset.of("kill", columns), null, new TrainingListener() {
                @Override
                public void onEpoch(Trainer.EpochResult result) {
                    out.println("saved " + result.epoch()); // the trainer saves before it reports
                    out.flush();
                }
            });
        }
    }

    static boolean writing(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aCheckpointKilledWhileWritingIsThePreviousOrTheNewOne() throws Exception {
        Path file = dir.resolve("run.ckpt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(42);
        int previous = 0;
        List<String> seen = new ArrayList<>();
        int midWrite = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    file.toString()).redirectErrorStream(true).start();
            AtomicInteger lastSaved = new AtomicInteger(-1);
            AtomicInteger resumedFrom = new AtomicInteger(0);
            List<String> output = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                            output.notifyAll();
                        }
                        if (line.startsWith("saved ")) {
                            lastSaved.set(Integer.parseInt(line.substring(6)));
                        } else if (line.startsWith("resumed ")) {
                            resumedFrom.set(Integer.parseInt(line.substring(8)));
                        }
                    }
                } catch (IOException e) {
                    // the process died: what it printed is all there is
                }
            });
            reader.start();
            // Wait until it has saved once in this run, then kill it at a random moment of what follows.
            synchronized (output) {
                while (lastSaved.get() < 0 && p.isAlive()) {
                    output.wait(100);
                }
            }
            assertTrue(lastSaved.get() > 0, () -> "the child never saved: " + output);
            if (trial % 2 == 0) {
                Thread.sleep(random.nextInt(150));
            } else {
                // Every other trial waits for the next write to begin: its temporary file appears.
                // Bounded by polls, not by the clock: each poll lists the folder (tens of
                // microseconds), so this gives up after tens of seconds if no write ever begins.
                for (int polls = 0; polls < 2_000_000 && !writing(dir) && p.isAlive(); polls++) {
                    Thread.onSpinWait();
                }
                Thread.sleep(random.nextInt(3));
            }
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            p.waitFor();
            reader.join();
            int saved = lastSaved.get();
            assertEquals(previous, resumedFrom.get(), "each run resumes from the checkpoint the last one left");
            Checkpoint c = Checkpoint.read(file); // throws if the file is torn or corrupt
            assertTrue(c.epoch() == saved || c.epoch() == saved + 1,
                    "trial " + trial + ": the checkpoint holds epoch " + c.epoch() + ", the run reported " + saved);
            seen.add(saved + "->" + c.epoch());
            previous = c.epoch();
            // A temporary file left behind means the kill came while a checkpoint was being written.
            try (var leftovers = Files.list(dir)) {
                for (Path t : leftovers.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                    midWrite++;
                    Files.delete(t);
                }
            }
        }
        assertTrue(previous >= TRIALS, seen::toString); // every run saved at least once
        System.out.println("CheckpointKillTest: " + TRIALS + " kills, " + midWrite + " while a checkpoint was being written; "
                + "reported -> on disk: " + seen);
    }
}
