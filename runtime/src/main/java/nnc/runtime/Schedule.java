package nnc.runtime;

/**
 * A learning-rate schedule: the rate of each epoch from the optimiser's base rate, with PyTorch's
 * semantics (its {@code lr_scheduler} classes, stepped once per epoch). Epochs count from 0 here,
 * as in PyTorch: epoch 0 is the first. Implementations are small immutable values, in
 * {@link Schedules}; the {@link Trainer} sets the optimiser's rate at the start of every epoch.
 */
public interface Schedule {
    /** The rate of {@code epoch} (from 0) given the base rate. */
    double rate(int epoch, double base);

    /**
     * The rates of epochs 0 .. {@code epochs - 1}; schedules whose rate depends on the one before
     * compute them in one pass.
     */
    default double[] rates(double base, int epochs) {
        double[] r = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            r[e] = rate(e, base);
        }
        return r;
    }

    /** As written in a .nn file: {@code step(step_size: 10, gamma: 0.5)}. */
    String describe();
}
