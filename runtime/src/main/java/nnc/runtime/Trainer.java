package nnc.runtime;

import java.nio.file.Path;
import nnc.runtime.data.Batches;
import nnc.runtime.data.Dataset;

/**
 * The training loop: epochs of minibatches, a training step and an optimiser update per batch,
 * the loss (and for classifiers the accuracy) reported per epoch. Nothing is allocated per batch.
 */
public final class Trainer {
    /**
     * @param epochs passes over the training data
     * @param batchSize samples per step (the last batch of an epoch may be smaller)
     * @param shuffle whether to reorder the training data every epoch
     * @param seed seeds the shuffling
     */
    public record Config(int epochs, int batchSize, boolean shuffle, long seed) {
        public Config {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must not be negative: " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("the batch size must be at least 1: " + batchSize);
            }
        }
    }

    /**
     * One epoch's figures.
     *
     * @param trainLoss the mean of the epoch's batch losses, weighted by batch size
     * @param validationLoss the loss over the validation set after the epoch, NaN without one
     * @param seconds wall time of the epoch
     * @param trainAccuracy for a classifier, the fraction of the epoch's training predictions that
     *     were right, each taken by its training step before the parameters changed (so with
     *     dropout active); NaN for other models
     * @param validationAccuracy for a classifier, the accuracy over the validation set after the
     *     epoch; NaN for other models or without a validation set
     */
    public record EpochResult(int epoch, int epochs, double trainLoss, double validationLoss, double learningRate, double seconds,
            double trainAccuracy, double validationAccuracy) {}

    /**
     * A run's figures.
     *
     * @param initialTrainLoss the training loss before the first step
     * @param finalTrainLoss the training loss over the whole training set with the final parameters
     * @param finalValidationLoss likewise for the validation set, NaN without one
     * @param seconds wall time of the whole run
     * @param finalTrainAccuracy for a classifier, the accuracy over the whole training set with the
     *     final parameters; NaN for other models
     * @param finalValidationAccuracy likewise for the validation set, NaN without one
     */
    public record Summary(int epochs, double initialTrainLoss, double finalTrainLoss, double finalValidationLoss, double seconds,
            double finalTrainAccuracy, double finalValidationAccuracy) {}

    /**
     * Finds where a non-finite value came from. Called with the model holding the failing batch
     * (its first {@code n} samples) and the parameters the step started from, the last good ones.
     */
    @FunctionalInterface
    public interface NonFiniteExplainer {
        /** A phrase such as {@code "the first non-finite value is h2 (exp) at model.nn:8"}, or null. */
        String explain(Model model, int n);
    }

    private final Config config;
    private Path saveTo;
    private Checkpoint resumeFrom;
    private Schedule schedule;
    private double scheduleBase;
    private NonFiniteExplainer explainer;
    /** The epoch of the last checkpoint on disk, 0 for none. */
    private int lastSaved;

    public Trainer(Config config) {
        this.config = config;
    }

    /**
     * Saves a {@link Checkpoint} to {@code file} at the end of every epoch (before reporting it) and
     * at the end of a run that trained no epoch: parameters, optimiser state, the epoch reached and
     * every random generator, enough for {@link #resumeFrom} to go on exactly.
     */
    public Trainer saveTo(Path file) {
        this.saveTo = file;
        return this;
    }

    /**
     * Starts from a checkpoint {@link #saveTo} wrote instead of the model's and optimiser's current
     * state: training continues after the saved epoch up to {@link Config#epochs()} (the total, so
     * that the command that was interrupted finishes the run when repeated), and its epochs' losses
     * are those the uninterrupted run would have had.
     *
     * @throws CheckpointException if the file is missing or is not a whole checkpoint; one saved for
     *     another model, optimiser or data set fails when training starts
     */
    public Trainer resumeFrom(Path file) {
        return resumeFrom(Checkpoint.read(file));
    }

    /** As {@link #resumeFrom(Path)}, from a checkpoint read already. */
    public Trainer resumeFrom(Checkpoint checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /**
     * Sets the optimiser's learning rate at the start of every epoch to {@code schedule}'s rate for
     * it from the base rate {@code base}, normally the rate the optimiser was made with (a resumed
     * optimiser has the rate the schedule had set instead). Null, the default, leaves the rate alone.
     */
    public Trainer schedule(Schedule schedule, double base) {
        this.schedule = schedule;
        this.scheduleBase = base;
        return this;
    }

    /** Adds {@code explainer}'s finding to the message when training stops on a non-finite value. */
    public Trainer explainNonFinite(NonFiniteExplainer e) {
        this.explainer = e;
        return this;
    }

    public Config config() {
        return config;
    }

    public Summary train(Model model, Optimizer optimizer, Dataset train, Dataset validation, TrainingListener listener) {
        long start = System.nanoTime();
        double[] rates = schedule == null ? null : Schedules.checkedRates(schedule, scheduleBase, config.epochs());
        lastSaved = 0;
        Accuracy accuracy = Accuracy.of(model);
        Rng shuffleRng = Rng.forStream(config.seed(), "shuffle");
        Batches batches = Batches.of(model, train, config.batchSize(), shuffleRng);
        Batches validationBatches = validation == null ? null : Batches.of(model, validation, config.batchSize(), null);
        int done = 0;
        if (resumeFrom != null) {
            resumeFrom.checkSchedule(schedule, scheduleBase);
            resumeFrom.restore(model);
            resumeFrom.restore(optimizer, model);
            done = resumeFrom.restoreTraining(shuffleRng, batches, train.size());
        }
        double initial = evaluate(model, batches, null).loss;
        for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            if (rates != null) {
                optimizer.setLearningRate(rates[epoch - 1]);
            }
            listener.onEpochStart(epoch, config.epochs(), batches.count());
            if (config.shuffle()) {
                batches.shuffle();
            }
            double sum = 0;
            int samples = 0;
            long correct = 0;
            long predictions = 0;
            for (int b = 0; b < batches.count(); b++) {
                int n = batches.load(b);
                double loss = model.trainStep(n);
                // Checked before the update, so that the parameters are still the last good ones.
                String bad = !Double.isFinite(loss) ? "the loss is " + loss : nonFinite(model, true);
                if (bad != null) {
                    throw stop(epoch, b + 1, batches.count(), bad, explainer == null ? null : explainer.explain(model, n));
                }
                if (accuracy != null) {
                    // The outputs of this step, before the optimiser changes the parameters.
                    correct += accuracy.correct(n);
                    predictions += accuracy.predictions(n);
                }
                optimizer.step(model.parameters());
                bad = nonFinite(model, false);
                if (bad != null) {
                    throw stop(epoch, b + 1, batches.count(), bad + " after the optimiser's update, from finite gradients "
                            + "(an overflow: try a smaller learning rate)", null);
                }
                sum += loss * n;
                samples += n;
                listener.onBatch(b + 1, samples, sum / samples);
            }
            Evaluation v = validationBatches == null ? Evaluation.NONE : evaluate(model, validationBatches, accuracy);
            if (saveTo != null) {
                save(model, optimizer, epoch, shuffleRng, batches);
            }
            listener.onEpoch(new EpochResult(epoch, config.epochs(), sum / samples, v.loss, optimizer.learningRate(),
                    (System.nanoTime() - epochStart) / 1e9, accuracy == null ? Double.NaN : correct / (double) predictions,
                    v.accuracy));
        }
        if (saveTo != null && done >= config.epochs()) {
            save(model, optimizer, done, shuffleRng, batches);
        }
        Evaluation t = evaluate(model, batches, accuracy);
        Evaluation v = validationBatches == null ? Evaluation.NONE : evaluate(model, validationBatches, accuracy);
        Summary s = new Summary(config.epochs(), initial, t.loss, v.loss, (System.nanoTime() - start) / 1e9, t.accuracy, v.accuracy);
        listener.onEnd(s);
        return s;
    }

    /** "the gradient of parameter 'h.weight' is NaN", or null when every value is finite. */
    private static String nonFinite(Model model, boolean gradients) {
        java.util.List<Parameter> params = model.parameters();
        for (int k = 0; k < params.size(); k++) { // by index: an iterator would allocate per batch
            Parameter p = params.get(k);
            Tensor t = gradients ? p.grad() : p.value();
            // A sum of finite floats is finite in double; one NaN or infinity makes it non-finite.
            // Four sums, not one: a single chain of dependent adds took ~10% of a Fashion-MNIST step.
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int size = p.size();
            int i = 0;
            for (; i + 3 < size; i += 4) {
                s0 += t.get(i);
                s1 += t.get(i + 1);
                s2 += t.get(i + 2);
                s3 += t.get(i + 3);
            }
            for (; i < size; i++) {
                s0 += t.get(i);
            }
            if (!Double.isFinite(s0 + s1 + s2 + s3)) {
                for (int e = 0; e < size; e++) {
                    if (!Double.isFinite(t.get(e))) {
                        return (gradients ? "the gradient of parameter '" : "parameter '") + p.name() + "' is "
                                + t.get(e) + " at element " + e;
                    }
                }
            }
        }
        return null;
    }

    private NonFiniteException stop(int epoch, int batch, int batches, String what, String explanation) {
        StringBuilder m = new StringBuilder("training stopped at epoch ").append(epoch).append(", batch ").append(batch)
                .append(" of ").append(batches).append(": ").append(what);
        if (explanation != null) {
            m.append("; ").append(explanation);
        }
        if (saveTo != null) {
            // The checkpoint is written only at the end of a good epoch: it is left as it was.
            m.append("; ").append(lastSaved > 0 ? "the checkpoint " + saveTo + " keeps the last good state, after epoch " + lastSaved
                    : "the checkpoint " + saveTo + " is left as it was (no epoch of this run finished)");
        }
        return new NonFiniteException(epoch, batch, m.toString());
    }

    private void save(Model model, Optimizer optimizer, int epoch, Rng shuffleRng, Batches batches) {
        Checkpoint c = Checkpoint.of(model, optimizer);
        c.putTraining(epoch, shuffleRng, batches);
        c.putSchedule(schedule, scheduleBase);
        c.write(saveTo);
        lastSaved = epoch;
    }

    /** The loss over a whole data set: the batch losses' mean, weighted by batch size. */
    public static double evaluate(Model model, Dataset data, int batchSize) {
        return evaluate(model, Batches.of(model, data, Math.min(batchSize, model.maxBatch()), null), null).loss;
    }

    /**
     * The fraction of a whole data set a classifier gets right: the argmax of the first output's
     * scores (the lowest index among ties) against the class index in the first target.
     *
     * @throws IllegalArgumentException if the model is not a classifier ({@link Model#classes()} is 0)
     */
    public static double accuracy(Model model, Dataset data, int batchSize) {
        Accuracy accuracy = Accuracy.of(model);
        if (accuracy == null) {
            throw new IllegalArgumentException("model " + model.name() + " is not a classifier: it has no accuracy");
        }
        Batches batches = Batches.of(model, data, Math.min(batchSize, model.maxBatch()), null);
        long correct = 0;
        long predictions = 0;
        for (int b = 0; b < batches.count(); b++) {
            int n = batches.load(b);
            model.infer(n);
            correct += accuracy.correct(n);
            predictions += accuracy.predictions(n);
        }
        return correct / (double) predictions;
    }

    /** Loss and accuracy (NaN if not measured) over a data set. */
    private record Evaluation(double loss, double accuracy) {
        static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN);
    }

    /** The loss over all batches and, given {@code accuracy}, the accuracy. */
    private static Evaluation evaluate(Model model, Batches batches, Accuracy accuracy) {
        double sum = 0;
        int samples = 0;
        long correct = 0;
        long predictions = 0;
        for (int b = 0; b < batches.count(); b++) {
            int n = batches.load(b);
            sum += model.loss(n) * n;
            if (accuracy != null) {
                // loss(n) of generated classes leaves the outputs, but the contract only promises
                // them from infer(n); an extra forward pass is cheap next to training.
                model.infer(n);
                correct += accuracy.correct(n);
                predictions += accuracy.predictions(n);
            }
            samples += n;
        }
        return new Evaluation(sum / samples, accuracy == null ? Double.NaN : correct / (double) predictions);
    }

    /**
     * Counts a classifier's right predictions in its output buffers, allocating nothing: the first
     * output holds K scores per prediction in its last dimension, the first target one class index
     * per prediction (one prediction per sample unless the output has more dimensions).
     */
    private static final class Accuracy {
        private final Tensor scores;
        private final Tensor labels;
        private final int classes;
        private final int perSample;

        private Accuracy(Tensor scores, Tensor labels, int classes) {
            this.scores = scores;
            this.labels = labels;
            this.classes = classes;
            this.perSample = scores.sampleSize() / classes;
        }

        /** Null if the model is not a classifier; fails if its buffers do not fit its {@code classes()}. */
        static Accuracy of(Model model) {
            int k = model.classes();
            if (k <= 0) {
                return null;
            }
            if (model.outputs().isEmpty() || model.targets().isEmpty()) {
                throw new IllegalArgumentException("model " + model.name() + " says it has " + k
                        + " classes, but it needs an output for the scores and a target for the class indices");
            }
            Tensor out = model.outputs().get(0);
            Tensor target = model.targets().get(0);
            if (!out.isBatched() || out.rank() == 0 || out.dim(out.rank() - 1) != k || !target.isBatched()
                    || target.sampleSize() != out.sampleSize() / k) {
                throw new IllegalArgumentException("model " + model.name() + " says it has " + k + " classes, but its output "
                        + out + " does not hold " + k + " scores per class index of its target " + target);
            }
            return new Accuracy(out, target, k);
        }

        /** Predictions in a batch of {@code n} samples. */
        int predictions(int n) {
            return n * perSample;
        }

        /** Right predictions among the first {@code n} samples: argmax, the lowest index among ties. */
        int correct(int n) {
            int rows = n * perSample;
            int right = 0;
            if (scores.isDouble()) {
                double[] s = scores.doubles();
                for (int r = 0; r < rows; r++) {
                    int base = r * classes;
                    int best = 0;
                    double max = s[base];
                    for (int j = 1; j < classes; j++) {
                        if (s[base + j] > max) {
                            max = s[base + j];
                            best = j;
                        }
                    }
                    if (labels.get(r) == best) {
                        right++;
                    }
                }
            } else {
                float[] s = scores.floats();
                for (int r = 0; r < rows; r++) {
                    int base = r * classes;
                    int best = 0;
                    float max = s[base];
                    for (int j = 1; j < classes; j++) {
                        if (s[base + j] > max) {
                            max = s[base + j];
                            best = j;
                        }
                    }
                    if (labels.get(r) == best) {
                        right++;
                    }
                }
            }
            return right;
        }
    }
}
