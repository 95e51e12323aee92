package nnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import nnc.diag.Code;
import picocli.CommandLine;

/**
 * The {@code nnc} command, on picocli. Exit codes as in jlox (sysexits): 64 for bad usage, 65 for
 * errors in the .nn file or the data, 66 for a missing file, 70 for an internal error (which
 * prints a stack trace only with {@code --debug}).
 *
 * <p>Adding a command takes a class and one line:
 *
 * <ol>
 *   <li>write {@code final class FooCommand implements Callable<Integer>} in this package, annotated
 *       {@code @Command(name = "foo", mixinStandardHelpOptions = true, versionProvider =
 *       Main.Version.class, description = ..., footer = <usage examples>)}, with its arguments as
 *       {@code @Parameters} and {@code @Option} fields and {@code @ParentCommand Main main} to
 *       reach {@link #out()}, {@link #err()};
 *   <li>in {@code call()}, return {@link #OK} or another of the exit codes below; throw
 *       {@link #usage(CommandSpec, String)} for a bad argument (printed as one line plus a hint to
 *       run {@code --help}), and let anything unexpected propagate (exit code 70);
 *   <li>add {@code FooCommand.class} to {@code subcommands} in the {@code @Command} of this class.
 * </ol>
 *
 * {@code --debug} is inherited by every command. {@code MainTest} shows how to test a command in
 * process with {@link #run(List, PrintStream, PrintStream)}.
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        description = "Compiles neural networks written in .nn files into Java classes, and trains them. "
                + "The language is described in docs/language.md, the commands in docs/cli.md.",
        synopsisHeading = "Usage: ", customSynopsis = "nnc COMMAND [options]   (nnc COMMAND --help explains one)",
        commandListHeading = "%nCommands:%n", optionListHeading = "%nOptions:%n",
        subcommands = {
            CommandLine.HelpCommand.class,
            CompileCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            ParamsCommand.class,
            GradcheckCommand.class,
            DiagnoseCommand.class,
            GraphCommand.class,
            PlotCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success",
            "64:bad command line: the message names the argument",
            "65:errors in the .nn file (file:line:col: error: ...), in the data (file:line: ...) or in a checkpoint (file: ...)",
            "66:a file that does not exist or cannot be read or written",
            "70:an internal error in nnc; --debug prints its stack trace",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc compile model.nn -d src/generated/java --package com.example",
            "  nnc train model.nn --data train.csv --validation val.csv",
            "  nnc train samples/src/main/nn/regression.nn --data builtin:regression --every 100",
            "  nnc train model.nn --data train.csv --save run.ckpt     (--resume run.ckpt goes on from it)",
            "  nnc predict model.nn --weights run.ckpt --data test.csv",
            "  nnc help train",
        })
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int NO_INPUT = 66;
    public static final int INTERNAL = 70;

    /** Columns of the help text. */
    static final int WIDTH = 100;

    private final PrintStream out;
    private final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "print internal stack traces (for reporting a bug in nnc)")
    boolean debug;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Where a command prints its results. */
    public PrintStream out() {
        return out;
    }

    /** Where a command prints errors and diagnostics. */
    public PrintStream err() {
        return err;
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        Main main = new Main(out, err);
        CommandLine cl = new CommandLine(main);
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        cl.setOut(outWriter);
        cl.setErr(errWriter);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(e, main.debug || argv.contains("--debug"), err));
        CommandLine.ITypeConverter<Integer> whole = v -> parse(v, Integer::valueOf, "a whole number");
        CommandLine.ITypeConverter<Long> wholeLong = v -> parse(v, Long::valueOf, "a whole number");
        CommandLine.ITypeConverter<Double> number = v -> parse(v, Double::valueOf, "a number");
        cl.registerConverter(Integer.class, whole);
        cl.registerConverter(int.class, whole);
        cl.registerConverter(Long.class, wholeLong);
        cl.registerConverter(long.class, wholeLong);
        cl.registerConverter(Double.class, number);
        cl.registerConverter(double.class, number);
        try {
            return cl.execute(argv.toArray(String[]::new));
        } catch (RuntimeException | Error e) {
            // Errors (a stack overflow, out of memory) pass picocli's handler by.
            return internalError(e, main.debug || argv.contains("--debug"), err);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** {@code nnc} alone: the overview, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    /**
     * A bad argument of {@code command}: printed as {@code nnc COMMAND: error[E811]: message} and a
     * hint to run {@code --help}, exit code 64.
     */
    public static ParameterException usage(CommandSpec command, String message) {
        return usage(command, Code.E811, message);
    }

    /** A bad argument of {@code command} with another code than E811, such as an optimiser's E310. */
    public static ParameterException usage(CommandSpec command, Code code, String message) {
        return new Usage(command.commandLine(), code, message);
    }

    /** A usage error with its code. */
    private static final class Usage extends ParameterException {
        private static final long serialVersionUID = 1L;
        private final transient Code code;

        Usage(CommandLine commandLine, Code code, String message) {
            super(commandLine, message);
            this.code = code;
        }
    }

    /** {@code where: error[E820]: message}, the form of every error that is not about a line of a .nn file. */
    static String error(Object where, Code code, String message) {
        return where + ": " + code.label() + ": " + message;
    }

    /** {@code where: error[E501]: message} for a run-time error the command line finds itself. */
    static String error(Object where, nnc.runtime.ErrorCode code, String message) {
        return where + ": " + code.label() + ": " + message;
    }

    private interface Parse<T> {
        T apply(String s);
    }

    /** A number option's value, or picocli's conversion error saying what it takes. */
    private static <T> T parse(String value, Parse<T> parse, String what) {
        try {
            return parse.apply(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("takes " + what + ", not '" + value + "'");
        }
    }

    /** One line saying what is wrong, one saying where help is: no usage dump, no stack trace. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName(" ");
        err.println(name + ": " + code(e).label() + ": " + message(e));
        err.println("Run '" + name + " --help' for " + (cl.getParent() == null ? "its commands and options." : "its options."));
        return USAGE;
    }

    /** E810 for an unknown command or option, E812 for a missing one, E811 for a bad value. */
    private static Code code(ParameterException e) {
        if (e instanceof Usage u) {
            return u.code;
        } else if (e instanceof CommandLine.UnmatchedArgumentException
                || (e.getMessage() != null && e.getMessage().startsWith("Unknown subcommand '"))) {
            return Code.E810;
        } else if (e instanceof CommandLine.MissingParameterException) {
            return Code.E812;
        }
        return Code.E811;
    }

    private static String message(ParameterException e) {
        ArgSpec arg = e.getArgSpec();
        if (e.getCause() instanceof CommandLine.TypeConversionException t && arg != null) {
            return (arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel()) + " " + t.getMessage();
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            List<String> suggestions = u.getSuggestions();
            String hint = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
            if (first.startsWith("-") && first.length() > 1) {
                return "unknown option " + first + hint;
            }
            if (e.getCommandLine().getParent() == null && !e.getCommandLine().getSubcommands().isEmpty()) {
                // picocli's suggestions for commands are loose (frobnicate: predict?); the compiler's edit distance is not.
                return "unknown command '" + first + "'" + nnc.diag.Suggest.didYouMean(first, e.getCommandLine().getSubcommands().keySet());
            }
            return "unexpected argument '" + first + "'";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            if (missing instanceof OptionSpec o) {
                // The option was given without its value, or not at all though it is required.
                return e.getMessage().startsWith("Missing required parameter for option")
                        ? o.longestName() + " needs a value (" + o.paramLabel() + ")"
                        : o.longestName() + " " + o.paramLabel() + " is required";
            }
            String[] description = missing.description();
            return missing.paramLabel() + " is required" + (description.length == 0 ? "" : ": " + description[0]);
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Unknown subcommand '")) {
            return "unknown command " + e.getMessage().substring("Unknown subcommand ".length()).replaceAll("\\.$", "");
        }
        String text = e.getMessage();
        return text == null ? e.toString() : text;
    }

    private static int internalError(Throwable e, boolean debug, PrintStream err) {
        err.println("nnc: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL;
    }

    /** The project's version, which Maven writes into {@code nnc/cli/version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"nnc " + p.getProperty("version", "(unknown version)")};
        }
    }
}
