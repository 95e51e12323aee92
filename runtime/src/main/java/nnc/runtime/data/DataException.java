package nnc.runtime.data;

/**
 * Data that cannot be used, with a message that names its source and, where one applies, the
 * line: {@code train.csv:7: column x: 'abc' is not a number}.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public static DataException at(String source, int line, String reason) {
        return new DataException(source + ":" + line + ": " + reason);
    }

    public static DataException in(String source, String reason) {
        return new DataException(source + ": " + reason);
    }
}
