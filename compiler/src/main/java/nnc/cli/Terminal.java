package nnc.cli;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** The terminal's width, for the progress bar. */
final class Terminal {
    private Terminal() {}

    static final int DEFAULT_COLUMNS = 80;

    /** {@code $COLUMNS} if the shell exports it, else what {@code stty size} says of the terminal, else 80. */
    static int columns() {
        Integer c = parse(System.getenv("COLUMNS"));
        if (c != null) {
            return c;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] rowsColumns = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
                c = rowsColumns.length == 2 ? parse(rowsColumns[1]) : null;
            } else {
                p.destroy();
            }
        } catch (java.io.IOException | RuntimeException e) {
            c = null; // no stty, no /dev/tty: the default will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c != null ? c : DEFAULT_COLUMNS;
    }

    private static Integer parse(String s) {
        try {
            int n = s == null ? 0 : Integer.parseInt(s.trim());
            return n >= 20 && n <= 1000 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
