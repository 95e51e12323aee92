package nnc.runtime;

import nnc.runtime.data.DataException;

/**
 * A checkpoint that cannot be read, does not fit the model or optimiser it is loaded into, or
 * cannot be written; the message names the file and the reason:
 * {@code run.ckpt: saved for model Regression with h1.weight [1, 64], but this model has h1.weight [1, 32]}.
 * A {@link DataException}, so that whoever reports bad data reports bad checkpoints the same way.
 */
public final class CheckpointException extends DataException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String file, String reason) {
        super(file + ": " + reason);
    }
}
