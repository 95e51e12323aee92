package nnc.cli;

import java.util.Map;
import nnc.check.Checker;
import nnc.diag.Diagnostic;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.parse.Ast;
import nnc.parse.Parser;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Training settings given on the command line in the .nn file's own syntax, such as
 * {@code --optimizer 'adam(lr: 0.001)'}: parsed and checked by the compiler's own parser and
 * checker, so they take the same values and give the same messages as in a file.
 */
final class SettingOptions {
    private SettingOptions() {}

    /** The optimiser's name and arguments (the rate under "lr"); a usage error if it is wrong. */
    static Map.Entry<String, Map<String, Double>> optimizer(CommandSpec command, String option, String text) {
        Source source = new Source(option, text);
        Reporter reporter = new Reporter(null);
        Ast.Expr e = Parser.parseExpression(source, reporter);
        Map.Entry<String, Map<String, Double>> chosen = e == null ? null : Checker.optimizer(e, source, reporter);
        if (chosen == null) {
            throw failure(command, option, text, reporter);
        }
        return chosen;
    }

    /** {@code --optimizer 'adam(beta3: 1)': adam has no argument 'beta3'; ... (at column 6)}. */
    private static ParameterException failure(CommandSpec command, String option, String text, Reporter reporter) {
        Diagnostic d = reporter.diagnostics().stream().filter(x -> x.severity() == Diagnostic.Severity.ERROR).findFirst().orElseThrow();
        String where = text.lines().count() > 1 ? " (line " + d.line() + ", column " + d.column() + ")" : " (at column " + d.column() + ")";
        return Main.usage(command, option + " '" + text + "': " + d.message() + where);
    }
}
