package nnc.diag;

/**
 * One message about a .nn file, with its stable {@link Code}.
 *
 * @param line 1-based
 * @param column 1-based
 * @param length characters to underline (at least 1)
 */
public record Diagnostic(Code code, Severity severity, Source source, int line, int column, int length, String message) {
    public enum Severity {
        ERROR,
        WARNING
    }

    public Diagnostic {
        if (code.warning() != (severity == Severity.WARNING)) {
            throw new IllegalArgumentException(code + " is not a code for a" + (code.warning() ? " warning" : "n error"));
        }
    }

    /**
     * {@code model.nn:7:15: error[E204]: message}, the source line, and a caret under the offending text;
     * {@code --set K=abc: error[E801]: message} for line 0, a message about something outside a file
     * such as a command-line override.
     */
    public String format() {
        if (line < 1) {
            return source.path() + ": " + code.label() + ": " + message;
        }
        StringBuilder s = new StringBuilder();
        s.append(source.path()).append(':').append(line).append(':').append(column).append(": ")
                .append(code.label()).append(": ").append(message);
        String text = source.line(line);
        if (line >= 1 && !text.isEmpty()) {
            s.append('\n').append(text).append('\n');
            // Keep tabs in the indent so the caret lines up under the text however tabs are shown.
            int col = Math.min(Math.max(column, 1), text.length() + 1);
            for (int i = 0; i < col - 1; i++) {
                s.append(text.charAt(i) == '\t' ? '\t' : ' ');
            }
            s.append('^');
            int rest = Math.min(length, text.length() - (col - 1)) - 1;
            for (int i = 0; i < rest; i++) {
                s.append('~');
            }
        }
        return s.toString();
    }
}
