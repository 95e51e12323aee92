package nnc.runtime;

/**
 * Training stopped because the loss, a gradient or a parameter became NaN or infinite: the
 * message names the epoch, the batch and what went wrong, and, where the trainer was given a
 * {@link Trainer.NonFiniteExplainer}, the first value of the model's graph that was not finite.
 */
public final class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    NonFiniteException(int epoch, int batch, String message) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** Always {@link ErrorCode#E701}. */
    public ErrorCode code() {
        return ErrorCode.E701;
    }

    /** The epoch it happened in, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch of that epoch, from 1. */
    public int batch() {
        return batch;
    }
}
