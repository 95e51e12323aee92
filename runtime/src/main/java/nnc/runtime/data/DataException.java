package nnc.runtime.data;

import nnc.runtime.ErrorCode;

/**
 * Data that cannot be used, with its stable {@link ErrorCode} and a message that names its source
 * and, where one applies, the line: {@code train.csv:7: error[E506]: column x: 'abc' is not a number}.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String source;
    private final int line;
    private final String reason;

    /** About {@code source} as a whole if {@code line} is 0, else about that line (from 1). */
    protected DataException(ErrorCode code, String source, int line, String reason) {
        super(source + (line > 0 ? ":" + line : "") + ": " + code.label() + ": " + reason);
        this.code = code;
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public static DataException at(ErrorCode code, String source, int line, String reason) {
        return new DataException(code, source, line, reason);
    }

    public static DataException in(ErrorCode code, String source, String reason) {
        return new DataException(code, source, 0, reason);
    }

    public ErrorCode code() {
        return code;
    }

    /** The file (or built-in data set) the error is about. */
    public String source() {
        return source;
    }

    /** The line of {@link #source()} (from 1), or 0 for the file as a whole. */
    public int line() {
        return line;
    }

    /** What is wrong, without the file and the code. */
    public String reason() {
        return reason;
    }
}
