package nnc.cli;

import java.util.Map;
import nnc.check.Checker;
import nnc.diag.Diagnostic;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.parse.Ast;
import nnc.parse.Parser;
import nnc.runtime.Schedule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Training settings given on the command line in the .nn file's own syntax, such as
 * {@code --optimizer 'adam(lr: 0.001)'} or {@code --schedule 'step(step_size: 5)'}: parsed and checked by the compiler's own parser and
 * checker, so they take the same values and give the same messages as in a file.
 */
final class SettingOptions {
    private SettingOptions() {}

    /** The optimiser's name and arguments (the rate under "lr"); a usage error if it is wrong. */
    static Map.Entry<String, Map<String, Double>> optimizer(CommandSpec command, String option, String text) {
        return parse(command, option, text, Checker::optimizer);
    }

    /** The learning-rate schedule; a usage error if it is wrong. */
    static Schedule schedule(CommandSpec command, String option, String text) {
        return parse(command, option, text, Checker::schedule);
    }

    private interface Check<T> {
        T check(Ast.Expr e, Source source, Reporter reporter);
    }

    private static <T> T parse(CommandSpec command, String option, String text, Check<T> check) {
        Source source = new Source(option, text);
        Reporter reporter = new Reporter(null);
        Ast.Expr e = Parser.parseExpression(source, reporter);
        T value = e == null ? null : check.check(e, source, reporter);
        if (value == null) {
            throw failure(command, option, text, reporter);
        }
        return value;
    }

    /** {@code --optimizer 'adam(beta3: 1)': adam has no argument 'beta3'; ... (at column 6)}. */
    private static ParameterException failure(CommandSpec command, String option, String text, Reporter reporter) {
        Diagnostic d = reporter.diagnostics().stream().filter(x -> x.severity() == Diagnostic.Severity.ERROR).findFirst().orElseThrow();
        String where = text.lines().count() > 1 ? " (line " + d.line() + ", column " + d.column() + ")" : " (at column " + d.column() + ")";
        return Main.usage(command, d.code(), option + " '" + text + "': " + d.message() + where);
    }
}
