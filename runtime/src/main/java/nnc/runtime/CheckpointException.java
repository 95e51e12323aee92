package nnc.runtime;

import nnc.runtime.data.DataException;

/**
 * A checkpoint that cannot be read, does not fit the model or optimiser it is loaded into, or
 * cannot be written; the message names the file, the code and the reason:
 * {@code run.ckpt: error[E603]: saved for model Regression with h1.weight [1, 64], but this model has h1.weight [1, 32]}.
 * A {@link DataException}, so that whoever reports bad data reports bad checkpoints the same way.
 */
public final class CheckpointException extends DataException {
    private static final long serialVersionUID = 1L;

    /** {@code code} is one of the E6xx codes. */
    public CheckpointException(ErrorCode code, String file, String reason) {
        super(code, file, 0, reason);
    }

    /**
     * True if the file could not be read or written at all (missing, a folder, no permission), false
     * if its content is wrong or does not fit: the command line exits with 66 for the first, 65 for the second.
     */
    public boolean inaccessible() {
        return code() == ErrorCode.E601;
    }
}
