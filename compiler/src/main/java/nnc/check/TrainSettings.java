package nnc.check;

/**
 * A model's training settings, with defaults for what its {@code train} block leaves out.
 *
 * @param optimizer the optimiser's name ({@code sgd})
 * @param lr learning rate (default 0.01)
 * @param batch samples per step (default 32); also the generated class's maximum batch by default
 * @param epochs passes over the data (default 10)
 * @param seed seeds initialisation, shuffling and built-in data (default 0)
 * @param shuffle reorder the training data every epoch (default false, as in the course)
 * @param weightDecay lambda of the L2 penalty lambda/2 * ||w||^2 (default 0: none)
 * @param l1 lambda of the L1 penalty lambda * |w| (default 0: none)
 * @param regularize the glob pattern of the parameters penalised, or null for every parameter
 *     but biases
 * @param optimizerArgs the optimiser's other arguments as written (momentum, betas, ...); the
 *     runtime's {@code Optimizers} fills in the rest
 * @param schedule the learning-rate schedule, or null for the optimiser's rate throughout
 * @param warmup epochs of linear warm-up before the schedule (default 0)
 */
public record TrainSettings(String optimizer, double lr, int batch, int epochs, long seed, boolean shuffle,
        double weightDecay, double l1, String regularize, java.util.Map<String, Double> optimizerArgs,
        nnc.runtime.Schedule schedule, int warmup) {
    public static final TrainSettings DEFAULTS = new TrainSettings("sgd", 0.01, 32, 10, 0, false, 0, 0, null, java.util.Map.of(),
            null, 0);

    public TrainSettings {
        optimizerArgs = java.util.Map.copyOf(optimizerArgs);
    }

    /** Every argument of the optimiser as written, the learning rate included. */
    public java.util.Map<String, Double> optimizerArguments() {
        java.util.Map<String, Double> all = new java.util.LinkedHashMap<>(optimizerArgs);
        all.put("lr", lr);
        return all;
    }
}
