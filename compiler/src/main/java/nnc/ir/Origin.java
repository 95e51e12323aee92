package nnc.ir;

/**
 * Where in the .nn file a node comes from: generated code and IR dumps quote it.
 *
 * @param file the source path as given by the user
 * @param line 1-based line
 * @param column 1-based column
 * @param text the source text of the statement
 */
public record Origin(String file, int line, int column, String text) {
    public static final Origin NONE = new Origin("", 0, 0, "");

    /** {@code regression.nn:6}, or empty when unknown. */
    public String where() {
        if (line == 0) {
            return "";
        }
        String name = file;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(slash + 1) + ":" + line;
    }
}
