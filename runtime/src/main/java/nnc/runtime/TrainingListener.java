package nnc.runtime;

/** What a {@link Trainer} reports while it runs; every method does nothing unless overridden. */
public interface TrainingListener {
    default void onEpoch(Trainer.EpochResult result) {}

    default void onEnd(Trainer.Summary summary) {}
}
