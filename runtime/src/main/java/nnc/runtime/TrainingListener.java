package nnc.runtime;

/**
 * What a {@link Trainer} reports while it runs; every method does nothing unless overridden. The
 * per-batch calls take only numbers, so that reporting allocates nothing in the training loop; a
 * listener that draws should throttle itself, as it is called after every batch.
 */
public interface TrainingListener {
    /** Before the first batch of {@code epoch} (from 1) of {@code epochs}, which has {@code batches} batches. */
    default void onEpochStart(int epoch, int epochs, int batches) {}

    /**
     * After each training step and optimiser update of the current epoch.
     *
     * @param batchesDone batches done so far in this epoch (from 1)
     * @param samplesDone samples done so far in this epoch
     * @param runningLoss the mean loss of this epoch's samples so far
     */
    default void onBatch(int batchesDone, int samplesDone, double runningLoss) {}

    default void onEpoch(Trainer.EpochResult result) {}

    default void onEnd(Trainer.Summary summary) {}

    /** Every listener of {@code listeners}, called in that order; allocates nothing per call. */
    static TrainingListener all(TrainingListener... listeners) {
        TrainingListener[] all = listeners.clone();
        return new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int batches) {
                for (TrainingListener l : all) {
                    l.onEpochStart(epoch, epochs, batches);
                }
            }

            @Override
            public void onBatch(int batchesDone, int samplesDone, double runningLoss) {
                for (TrainingListener l : all) {
                    l.onBatch(batchesDone, samplesDone, runningLoss);
                }
            }

            @Override
            public void onEpoch(Trainer.EpochResult result) {
                for (TrainingListener l : all) {
                    l.onEpoch(result);
                }
            }

            @Override
            public void onEnd(Trainer.Summary summary) {
                for (TrainingListener l : all) {
                    l.onEnd(summary);
                }
            }
        };
    }
}
