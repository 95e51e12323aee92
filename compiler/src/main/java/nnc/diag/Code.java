package nnc.diag;

/**
 * The stable code of every diagnostic the compiler and the command line print, as
 * {@code model.nn:7:15: error[E204]: ...}. Grouped by stage: E1xx syntax, E2xx names, types and
 * shapes, E3xx training settings, E4xx limits, E8xx the command line; W1xx warnings. The run-time
 * errors of data files, checkpoints and training (E5xx to E7xx) are {@link nnc.runtime.ErrorCode}.
 * A code is never renumbered or reused: remove one by leaving its number unused. Each is explained,
 * with an example that triggers it, in docs/errors.md, which {@code ErrorsDocTest} runs.
 */
public enum Code {
    // ---- E1xx: syntax ----
    E101("syntax error"),
    E102("unexpected character"),
    E103("positional argument after a named one"),

    // ---- E2xx: names, types and shapes ----
    E201("undefined name"),
    E202("name used before its definition"),
    E203("name already defined"),
    E204("unknown function"),
    E205("function used as a value"),
    E206("wrong number of arguments"),
    E207("unknown named argument"),
    E208("argument given twice"),
    E209("invalid argument"),
    E210("shapes do not broadcast"),
    E211("matrix product of incompatible shapes"),
    E212("argument of the wrong shape"),
    E213("invalid dimension"),
    E214("loss is not a scalar"),
    E215("model has no loss"),
    E216("model has no output"),
    E217("exponent is not a constant"),
    E218("string used as a value"),
    E219("const is not a number"),
    E220("invalid repeat"),
    E221("invalid class target"),
    E222("kernel or reshape does not fit"),
    E223("part of the model given twice"),
    E230("unknown initialiser"),
    E231("invalid initialiser arguments"),
    E232("invalid initialiser default"),

    // ---- E3xx: training settings ----
    E301("unknown training setting"),
    E302("training setting given twice"),
    E303("invalid training setting"),
    E304("regularize matches no parameter"),
    E310("unknown optimiser"),
    E311("invalid optimiser argument"),
    E320("unknown schedule"),
    E321("invalid schedule argument"),
    E322("invalid schedule expression"),
    E323("schedule gives a learning rate that is not positive"),

    // ---- E4xx: limits ----
    E401("nested too deeply"),
    E402("model too large for one class"),
    E403("value too large for a Java array"),
    E404("memory budget exceeded"),
    E405("shape too large"),
    E406("images too large for maxpool2d"),

    // ---- E8xx: the command line ----
    E801("invalid --set"),
    E802("--set names no const"),
    E803("invalid --init"),
    E810("unknown command or option"),
    E811("invalid option value"),
    E812("missing argument"),
    E820("no such file"),
    E821("file is not UTF-8 text"),
    E822("cannot read or write a file"),
    E823("nothing to predict or plot"),
    E824("Graphviz's dot missing or failed"),

    // ---- W1xx: warnings ----
    W101("parameter does not affect the loss");

    private final String title;

    Code(String title) {
        this.title = title;
    }

    /** A few words saying what the code means, the heading of its section in docs/errors.md. */
    public String title() {
        return title;
    }

    /** True for a warning (W...), false for an error (E...). */
    public boolean warning() {
        return name().charAt(0) == 'W';
    }

    /** {@code error[E204]} or {@code warning[W101]}, as printed before a message. */
    public String label() {
        return (warning() ? "warning[" : "error[") + name() + "]";
    }
}
