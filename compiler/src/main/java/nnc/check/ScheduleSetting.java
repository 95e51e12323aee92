package nnc.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.Code;
import nnc.diag.Suggest;
import nnc.parse.Ast;
import nnc.runtime.Schedule;
import nnc.runtime.Schedules;

/**
 * The {@code schedule} and {@code warmup} training settings: {@code schedule step(step_size: 10,
 * gamma: 0.5)}, {@code schedule lambda(0.95 ^ epoch)}, {@code warmup 5}. Checked here, built into
 * the runtime's {@link Schedule}s; expressions of {@code epoch} become {@link EpochExpression}s.
 */
final class ScheduleSetting {
    private ScheduleSetting() {}

    /** Where errors go: the checker's reporter, with the file. */
    interface Errors {
        void error(Code code, Ast.Pos pos, String message);
    }

    /** The name an expression of a schedule uses for the epoch (from 0, as in PyTorch). */
    static final String EPOCH = "epoch";

    /** Functions an expression of the epoch may call, and how many arguments each takes. */
    static final Map<String, Integer> FUNCTIONS = new LinkedHashMap<>();

    static {
        for (String f : List.of("exp", "log", "sqrt", "sin", "cos", "abs", "floor")) {
            FUNCTIONS.put(f, 1);
        }
        FUNCTIONS.put("min", 2);
        FUNCTIONS.put("max", 2);
    }

    /** The schedule, or null after reporting. */
    static Schedule schedule(Ast.Expr e, Map<String, Double> consts, Errors errors) {
        Ast.Call c;
        if (e instanceof Ast.Call call) {
            c = call;
        } else if (e instanceof Ast.Name n) {
            c = new Ast.Call(n.name(), n.pos(), List.of(), List.of(), n.pos()); // "constant" without parentheses
        } else {
            errors.error(Code.E320, e.pos(), "expected a schedule such as step(step_size: 10, gamma: 0.5) or lambda(0.95 ^ epoch)");
            return null;
        }
        if (Schedules.FUNCTIONS.contains(c.name())) {
            if (c.args().size() != 1 || !c.named().isEmpty()) {
                errors.error(Code.E321, c.pos(), c.name() + " takes one expression of epoch, such as " + c.name()
                        + (c.name().equals("lambda") ? "(0.95 ^ epoch)" : "(0.99)"));
                return null;
            }
            Ast.Expr f = c.args().get(0);
            if (!checkExpression(f, consts, errors)) {
                return null;
            }
            EpochExpression function = new EpochExpression(f, consts);
            String text = f.pos().text();
            return c.name().equals("lambda") ? new Schedules.Lambda(function, text) : new Schedules.Multiplicative(function, text);
        }
        Map<String, Double> known = Schedules.ARGUMENTS.get(c.name());
        if (known == null) {
            errors.error(Code.E320, c.namePos(), "unknown schedule '" + c.name() + "'" + Suggest.didYouMean(c.name(), Schedules.names())
                    + " (there are: " + String.join(", ", Schedules.names()) + ")");
            return null;
        }
        List<String> names = List.copyOf(known.keySet());
        if (c.args().size() > names.size()) {
            errors.error(Code.E321, c.args().get(names.size()).pos(), c.name() + " takes " + (names.isEmpty() ? "no arguments"
                    : "at most " + names.size() + " argument" + (names.size() == 1 ? "" : "s") + ": " + String.join(", ", names)));
            return null;
        }
        Map<String, Double> args = new LinkedHashMap<>();
        for (int i = 0; i < c.args().size(); i++) {
            if (!argument(c.name(), names.get(i), c.args().get(i), consts, args, errors)) {
                return null;
            }
        }
        for (Ast.NamedArg a : c.named()) {
            if (!known.containsKey(a.name())) {
                errors.error(Code.E321, a.namePos(), c.name() + " has no argument '" + a.name() + "'" + Suggest.didYouMean(a.name(), names)
                        + (names.isEmpty() ? "" : " (it has: " + String.join(", ", names) + ")"));
                return null;
            }
            if (args.containsKey(a.name())) {
                errors.error(Code.E321, a.namePos(), "argument '" + a.name() + "' is given twice");
                return null;
            }
            if (!argument(c.name(), a.name(), a.value(), consts, args, errors)) {
                return null;
            }
        }
        for (Map.Entry<String, Double> k : known.entrySet()) {
            if (Double.isNaN(k.getValue()) && !args.containsKey(k.getKey())) {
                errors.error(Code.E321, c.pos(), c.name() + " needs " + k.getKey() + ", such as " + example(c.name()));
                return null;
            }
        }
        return Schedules.create(c.name(), args);
    }

    private static String example(String schedule) {
        return switch (schedule) {
            case "step" -> "step(step_size: 10, gamma: 0.5)";
            case "exponential" -> "exponential(gamma: 0.95)";
            default -> "cosine(t_max: 50)";
        };
    }

    /** One numeric argument of a schedule, checked against its range. */
    private static boolean argument(String schedule, String name, Ast.Expr value, Map<String, Double> consts,
            Map<String, Double> args, Errors errors) {
        Double v = Checker.constant(value, consts);
        boolean whole = name.equals("step_size") || name.equals("t_max");
        boolean ok = v != null && Double.isFinite(v) && (whole ? v == Math.rint(v) && v >= 1 && v <= Integer.MAX_VALUE
                : name.equals("eta_min") ? v >= 0 : v > 0);
        if (!ok) {
            String range = whole ? "a whole number of at least 1" : name.equals("eta_min") ? "a number of at least 0" : "a positive number";
            errors.error(Code.E321, value.pos(), schedule + "'s " + name + " must be " + range + ", not '" + value.pos().text() + "'");
            return false;
        }
        args.put(name, v);
        return true;
    }

    /** Whether {@code e} is an expression of the epoch that {@link EpochExpression} can evaluate; reports what is not. */
    private static boolean checkExpression(Ast.Expr e, Map<String, Double> consts, Errors errors) {
        if (e instanceof Ast.Num) {
            return true;
        } else if (e instanceof Ast.Name n) {
            if (n.name().equals(EPOCH) || consts.containsKey(n.name())) {
                return true;
            }
            List<String> known = new java.util.ArrayList<>(consts.keySet());
            known.add(EPOCH);
            errors.error(Code.E322, n.pos(), "unknown name '" + n.name() + "'" + Suggest.didYouMean(n.name(), known)
                    + "; an expression of a schedule may use epoch (from 0), numbers, consts and "
                    + String.join(", ", FUNCTIONS.keySet()));
            return false;
        } else if (e instanceof Ast.Neg n) {
            return checkExpression(n.operand(), consts, errors);
        } else if (e instanceof Ast.Binary b) {
            return checkExpression(b.left(), consts, errors) & checkExpression(b.right(), consts, errors);
        } else if (e instanceof Ast.Call c) {
            Integer arity = FUNCTIONS.get(c.name());
            if (arity == null) {
                errors.error(Code.E322, c.namePos(), "unknown function '" + c.name() + "' in a schedule" + Suggest.didYouMean(c.name(), FUNCTIONS.keySet())
                        + " (there are: " + String.join(", ", FUNCTIONS.keySet()) + ")");
                return false;
            }
            if (!c.named().isEmpty() || c.args().size() != arity) {
                errors.error(Code.E322, c.pos(), c.name() + " takes " + arity + " argument" + (arity == 1 ? "" : "s"));
                return false;
            }
            boolean ok = true;
            for (Ast.Expr a : c.args()) {
                ok &= checkExpression(a, consts, errors);
            }
            return ok;
        }
        errors.error(Code.E322, e.pos(), "a schedule's expression takes numbers, not text");
        return false;
    }

    /** The number of warm-up epochs, or null after reporting. */
    static Integer warmup(Ast.Expr e, Map<String, Double> consts, Errors errors) {
        Double v = Checker.constant(e, consts);
        if (v == null || v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            errors.error(Code.E303, e.pos(), "warmup must be a whole number of epochs of at least 0, not '" + e.pos().text() + "'");
            return null;
        }
        return v.intValue();
    }
}
