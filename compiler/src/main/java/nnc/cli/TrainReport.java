package nnc.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import nnc.runtime.Model;
import nnc.runtime.Optimizer;
import nnc.runtime.Schedule;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Dataset;

/**
 * What {@code nnc train} prints: a first line with the run's settings, a line per epoch (every
 * {@code every}-th, the first and the last) and the final figures; as text, or as one JSON object
 * per line.
 */
final class TrainReport implements TrainingListener {
    private final PrintStream out;
    private final boolean json;
    private final int every;
    /** Whether the rate changes, and so is worth a column of the text. */
    private final boolean scheduled;

    TrainReport(PrintStream out, boolean json, int every, boolean scheduled) {
        this.out = out;
        this.json = json;
        this.every = every;
        this.scheduled = scheduled;
    }

    /**
     * The first line; {@code resumedFrom}, the checkpoint a run resumes from (null if none), after
     * {@code epochsDone} epochs.
     */
    void start(Model model, Dataset train, Dataset validation, Trainer.Config config, Optimizer optimizer, Schedule schedule,
            Path resumedFrom, int epochsDone) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "start");
            m.put("model", model.name());
            m.put("parameters", model.parameterCount());
            m.put("precision", model.isDouble() ? "double" : "float");
            m.put("train_samples", train.size());
            m.put("validation_samples", validation == null ? null : validation.size());
            m.put("epochs", config.epochs());
            m.put("batch", config.batchSize());
            m.put("optimizer", optimizer.describe());
            m.put("lr", optimizer.learningRate());
            m.put("schedule", schedule == null ? null : schedule.describe());
            m.put("seed", config.seed());
            if (resumedFrom != null) {
                m.put("resumed_from_epoch", epochsDone);
            }
            out.println(Json.object(m));
        } else {
            out.printf(Locale.ROOT, "%s: %,d parameters, %s, %s%s, batch %d, %s%s, %d epochs, seed %d%n",
                    model.name(), model.parameterCount(), model.isDouble() ? "double" : "float",
                    plural(train.size(), "training sample"),
                    validation == null ? "" : ", " + validation.size() + " validation", config.batchSize(), optimizer.describe(),
                    schedule == null ? "" : ", schedule " + schedule.describe(), config.epochs(), config.seed());
            if (resumedFrom != null) {
                out.printf(Locale.ROOT, "resuming %s: %d of %d epochs done%n", resumedFrom, epochsDone, config.epochs());
            }
        }
    }

    @Override
    public void onEpoch(Trainer.EpochResult r) {
        if (r.epoch() % every != 0 && r.epoch() != 1 && r.epoch() != r.epochs()) {
            return;
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "epoch");
            m.put("epoch", r.epoch());
            m.put("epochs", r.epochs());
            m.put("train_loss", r.trainLoss());
            m.put("validation_loss", r.validationLoss());
            m.put("train_accuracy", r.trainAccuracy());
            m.put("validation_accuracy", r.validationAccuracy());
            m.put("learning_rate", r.learningRate());
            m.put("seconds", r.seconds());
            out.println(Json.object(m));
        } else {
            int width = Integer.toString(r.epochs()).length();
            out.printf(Locale.ROOT, "epoch %" + width + "d/%d  train loss %.6f%s%s%s%s%n", r.epoch(), r.epochs(),
                    r.trainLoss(), accuracy("  train", r.trainAccuracy()), loss("  validation", r.validationLoss()),
                    accuracy("  validation", r.validationAccuracy()), scheduled ? "  lr " + rate(r.learningRate()) : "");
        }
    }

    void end(Trainer.Summary s) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "end");
            m.put("initial_train_loss", s.initialTrainLoss());
            m.put("train_loss", s.finalTrainLoss());
            m.put("validation_loss", s.finalValidationLoss());
            m.put("train_accuracy", s.finalTrainAccuracy());
            m.put("validation_accuracy", s.finalValidationAccuracy());
            m.put("epochs", s.epochs());
            m.put("seconds", s.seconds());
            out.println(Json.object(m));
        } else {
            out.printf(Locale.ROOT, "final: train loss %.6f (initially %.6f)%s%s%s, %d epochs in %.2f s%n",
                    s.finalTrainLoss(), s.initialTrainLoss(), accuracy(", train", s.finalTrainAccuracy()),
                    loss(", validation", s.finalValidationLoss()), accuracy(", validation", s.finalValidationAccuracy()),
                    s.epochs(), s.seconds());
        }
    }

    /** A learning rate in six significant digits without trailing zeros: {@code 0.0025}, {@code 1.5e-05}. */
    static String rate(double r) {
        String s = String.format(Locale.ROOT, "%.6g", r);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    /** {@code "  validation loss 0.123456"}, or nothing if there is no such loss (NaN). */
    private static String loss(String prefix, double loss) {
        return Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "%s loss %.6f", prefix, loss);
    }

    /** {@code "  train accuracy 0.8123"}, or nothing for a model that is not a classifier (NaN). */
    private static String accuracy(String prefix, double accuracy) {
        return Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, "%s accuracy %.4f", prefix, accuracy);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
