package nnc.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.diag.Suggest;
import nnc.parse.Ast;
import nnc.parse.Parser;

/**
 * Command-line overrides of a model's file, so an experiment needs no edit: {@code --set K=50}
 * gives a const another value and {@code --init 'weights=normal(0, 1)'} replaces the file's
 * default initialiser for weights (or biases). They rewrite the syntax tree before the checker
 * sees it, so everything downstream checks and names the model as if the file said so. Errors
 * name the override they come from: {@code --set K=abc: error[E801]: ...}.
 */
public final class Overrides {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private Overrides() {}

    /** The model with the overrides applied, or null after reporting errors. */
    public static Ast.Model apply(Ast.Model model, List<String> sets, List<String> inits, Reporter reporter) {
        if (sets.isEmpty() && inits.isEmpty()) {
            return model;
        }
        int before = reporter.errorCount();
        Map<String, Ast.Num> values = new LinkedHashMap<>();
        for (String text : sets) {
            set(model, text, values, reporter);
        }
        Map<String, Ast.NamedArg> defaults = new LinkedHashMap<>();
        for (String text : inits) {
            init(text, defaults, reporter);
        }
        if (reporter.errorCount() > before) {
            return null;
        }
        List<Ast.Decl> decls = new ArrayList<>();
        boolean hadDefaults = false;
        for (Ast.Decl d : model.decls()) {
            if (d instanceof Ast.Const c && values.containsKey(c.name())) {
                decls.add(new Ast.Const(c.name(), c.namePos(), values.get(c.name()), c.pos()));
            } else if (d instanceof Ast.InitDefaults i && !hadDefaults) {
                hadDefaults = true;
                decls.add(replaced(i, defaults));
            } else {
                decls.add(d);
            }
        }
        if (!hadDefaults && !defaults.isEmpty()) {
            decls.add(0, new Ast.InitDefaults(List.copyOf(defaults.values()), model.pos()));
        }
        return new Ast.Model(model.name(), model.namePos(), decls, model.pos());
    }

    /** {@code K=50}: checks it against the model's consts and records the new value. */
    private static void set(Ast.Model model, String text, Map<String, Ast.Num> values, Reporter reporter) {
        Source origin = new Source("--set " + text, text);
        int eq = text.indexOf('=');
        if (eq < 0) {
            error(Code.E801, reporter, origin, "expected NAME=VALUE, such as --set K=50");
            return;
        }
        String name = text.substring(0, eq).trim();
        String value = text.substring(eq + 1).trim();
        Ast.Const c = null;
        List<String> consts = new ArrayList<>();
        for (Ast.Decl d : model.decls()) {
            if (d instanceof Ast.Const k) {
                consts.add(k.name());
                if (k.name().equals(name)) {
                    c = k;
                }
            }
        }
        if (c == null) {
            error(Code.E802, reporter, origin, "model " + model.name() + " has no const '" + name + "'" + Suggest.didYouMean(name, consts)
                    + (consts.isEmpty() ? " (it has no consts)" : " (its consts: " + String.join(", ", consts) + ")"));
            return;
        }
        if (!NUMBER.matcher(value).matches() || !Double.isFinite(Double.parseDouble(value))) {
            error(Code.E801, reporter, origin, "'" + value + "' is not a number; " + name + " takes a number such as 50 or 0.5");
            return;
        }
        if (values.containsKey(name)) {
            error(Code.E801, reporter, origin, name + " is set twice");
            return;
        }
        boolean integral = !value.contains(".") && !value.contains("e") && !value.contains("E");
        Ast.Pos at = c.value().pos();
        values.put(name, new Ast.Num(Double.parseDouble(value), integral, new Ast.Pos(at.line(), at.column(), at.length(), value)));
    }

    /** {@code weights=normal(0, 1)}: parses and checks the initialiser as an init line would. */
    private static void init(String text, Map<String, Ast.NamedArg> defaults, Reporter reporter) {
        Source origin = new Source("--init " + text, text);
        int eq = text.indexOf('=');
        String name = eq < 0 ? "" : text.substring(0, eq).trim();
        if (!Builtins.INIT_DEFAULTS.contains(name)) {
            error(Code.E803, reporter, origin, (eq < 0 ? "expected weights=INITIALISER or biases=INITIALISER"
                    : "unknown default '" + name + "': write weights=... or biases=..." + Suggest.didYouMean(name, Builtins.INIT_DEFAULTS))
                    + ", such as --init 'weights=normal(0, 1)'");
            return;
        }
        if (defaults.containsKey(name)) {
            error(Code.E803, reporter, origin, "the default for " + name + " is given twice");
            return;
        }
        // The initialiser is parsed as the value of an init line in a model of its own.
        String value = text.substring(eq + 1).trim();
        Source synthetic = new Source("--init", "model Override { init " + name + " " + value + " }");
        Reporter local = new Reporter(null);
        Ast.Model parsed = value.isEmpty() ? null : Parser.parse(synthetic, local);
        Ast.NamedArg arg = null;
        if (parsed != null && parsed.decls().size() == 1 && parsed.decls().get(0) instanceof Ast.InitDefaults d
                && d.defaults().size() == 1) {
            arg = d.defaults().get(0);
        }
        if (arg == null) {
            error(Code.E803, reporter, origin, "expected an initialiser such as normal(0, 1), he_normal or zeros after '" + name + "=', not '"
                    + value + "'");
            return;
        }
        if (Checker.initializer(arg.value(), synthetic, local) == null) {
            error(local.diagnostics().get(0).code(), reporter, origin, local.diagnostics().get(0).message());
            return;
        }
        defaults.put(name, arg);
    }

    /** The file's init line with the overridden defaults in place of its own. */
    private static Ast.InitDefaults replaced(Ast.InitDefaults file, Map<String, Ast.NamedArg> defaults) {
        List<Ast.NamedArg> args = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Ast.NamedArg a : file.defaults()) {
            Ast.NamedArg override = defaults.get(a.name());
            args.add(override != null && done.add(a.name()) ? override : a);
        }
        defaults.forEach((name, a) -> {
            if (!done.contains(name)) {
                args.add(a);
            }
        });
        return new Ast.InitDefaults(args, file.pos());
    }

    private static void error(Code code, Reporter reporter, Source origin, String message) {
        reporter.error(code, origin, 0, 0, 1, message);
    }
}
