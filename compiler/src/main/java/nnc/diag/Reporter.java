package nnc.diag;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects and prints every diagnostic of a run, in one format. Stages report here instead of
 * throwing, so one run shows all the errors of a file; {@link #hadErrors()} gates the next stage.
 */
public final class Reporter {
    private final PrintStream out;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int errors;

    /** A reporter that prints each diagnostic to {@code out} as it comes; null prints nothing. */
    public Reporter(PrintStream out) {
        this.out = out;
    }

    /** An error with its code (an E code), at {@code line} and {@code column} (both 1-based; line 0 for none). */
    public void error(Code code, Source source, int line, int column, int length, String message) {
        report(new Diagnostic(code, Diagnostic.Severity.ERROR, source, line, column, Math.max(1, length), message));
    }

    /** A warning with its code (a W code). */
    public void warning(Code code, Source source, int line, int column, int length, String message) {
        report(new Diagnostic(code, Diagnostic.Severity.WARNING, source, line, column, Math.max(1, length), message));
    }

    private void report(Diagnostic d) {
        diagnostics.add(d);
        if (d.severity() == Diagnostic.Severity.ERROR) {
            errors++;
        }
        if (out != null) {
            out.println(d.format());
        }
    }

    public boolean hadErrors() {
        return errors > 0;
    }

    public int errorCount() {
        return errors;
    }

    public List<Diagnostic> diagnostics() {
        return Collections.unmodifiableList(diagnostics);
    }
}
