package nnc.runtime;

import nnc.runtime.data.Batches;
import nnc.runtime.data.Dataset;

/**
 * The training loop: epochs of minibatches, a training step and an optimiser update per batch,
 * the loss reported per epoch. Nothing is allocated per batch.
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
     */
    public record EpochResult(int epoch, int epochs, double trainLoss, double validationLoss, double learningRate, double seconds) {}

    /**
     * A run's figures.
     *
     * @param initialTrainLoss the training loss before the first step
     * @param finalTrainLoss the training loss over the whole training set with the final parameters
     * @param finalValidationLoss likewise for the validation set, NaN without one
     * @param seconds wall time of the whole run
     */
    public record Summary(int epochs, double initialTrainLoss, double finalTrainLoss, double finalValidationLoss, double seconds) {}

    private final Config config;

    public Trainer(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public Summary train(Model model, Optimizer optimizer, Dataset train, Dataset validation, TrainingListener listener) {
        long start = System.nanoTime();
        Batches batches = Batches.of(model, train, config.batchSize(), Rng.forStream(config.seed(), "shuffle"));
        Batches validationBatches = validation == null ? null : Batches.of(model, validation, config.batchSize(), null);
        double initial = evaluate(model, batches);
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            if (config.shuffle()) {
                batches.shuffle();
            }
            double sum = 0;
            int samples = 0;
            for (int b = 0; b < batches.count(); b++) {
                int n = batches.load(b);
                double loss = model.trainStep(n);
                optimizer.step(model.parameters());
                sum += loss * n;
                samples += n;
            }
            double validationLoss = validationBatches == null ? Double.NaN : evaluate(model, validationBatches);
            listener.onEpoch(new EpochResult(epoch, config.epochs(), sum / samples, validationLoss,
                    optimizer.learningRate(), (System.nanoTime() - epochStart) / 1e9));
        }
        Summary s = new Summary(config.epochs(), initial, evaluate(model, batches),
                validationBatches == null ? Double.NaN : evaluate(model, validationBatches),
                (System.nanoTime() - start) / 1e9);
        listener.onEnd(s);
        return s;
    }

    /** The loss over a whole data set: the batch losses' mean, weighted by batch size. */
    public static double evaluate(Model model, Dataset data, int batchSize) {
        return evaluate(model, Batches.of(model, data, Math.min(batchSize, model.maxBatch()), null));
    }

    private static double evaluate(Model model, Batches batches) {
        double sum = 0;
        int samples = 0;
        for (int b = 0; b < batches.count(); b++) {
            int n = batches.load(b);
            sum += model.loss(n) * n;
            samples += n;
        }
        return sum / samples;
    }
}
