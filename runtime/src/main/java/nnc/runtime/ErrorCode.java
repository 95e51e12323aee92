package nnc.runtime;

/**
 * The stable code of every error the runtime reports about data files, checkpoints and training,
 * printed as {@code train.csv:3: error[E506]: ...}: E5xx data files, E6xx checkpoints, E7xx faults
 * during training. The compiler's and the command line's codes are {@code nnc.diag.Code}. A code is
 * never renumbered or reused. Each is explained, with an example that triggers it, in
 * docs/errors.md.
 */
public enum ErrorCode {
    // ---- E5xx: data files ----
    E501("no such data file"),
    E502("unknown built-in data set"),
    E503("cannot read a data file"),
    E504("CSV header or layout"),
    E505("row of the wrong length"),
    E506("value that is not a number"),
    E507("data does not fit the model"),
    E508("label that is not a class index"),
    E510("malformed IDX file"),
    E511("Fashion-MNIST missing or inconsistent"),
    E520("malformed history file"),

    // ---- E6xx: checkpoints ----
    E601("cannot read or write a checkpoint"),
    E602("not a checkpoint, or a damaged one"),
    E603("checkpoint of another model"),
    E604("checkpoint cannot resume this run"),

    // ---- E7xx: faults during training ----
    E701("value not finite during training");

    private final String title;

    ErrorCode(String title) {
        this.title = title;
    }

    /** A few words saying what the code means, the heading of its section in docs/errors.md. */
    public String title() {
        return title;
    }

    /** {@code error[E506]}, as printed before a message. */
    public String label() {
        return "error[" + name() + "]";
    }
}
