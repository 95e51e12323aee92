package nnc.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code nnc} command: {@code compile} and {@code train}. Exit codes as in jlox: 64 for bad
 * usage, 65 for errors in the .nn file or the data, 66 for a missing file, 70 for an internal error
 * (which prints a stack trace only with {@code --debug}).
 */
public final class Main {
    static final int OK = 0;
    static final int USAGE = 64;
    static final int DATA_ERROR = 65;
    static final int NO_INPUT = 66;
    static final int INTERNAL = 70;

    static final String HELP = """
            nnc - compiles neural networks written in .nn files into Java classes, and trains them.

            Usage:
              nnc compile MODEL.nn -d DIR [options]   write the model's Java class into DIR
              nnc train MODEL.nn [options]            compile in memory and train with the file's settings
              nnc help COMMAND                        explain a command's options

            Options for every command:
              --help      explain the command
              --debug     print internal stack traces (for reporting a bug in nnc)

            The language is described in docs/language.md.
            """;

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            out.print(HELP);
            return argv.isEmpty() ? USAGE : OK;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        boolean debug = rest.contains("--debug");
        try {
            return switch (command) {
                case "compile" -> new CompileCommand(out, err).run(rest);
                case "train" -> new TrainCommand(out, err).run(rest);
                case "help" -> help(rest, out, err);
                default -> {
                    err.println("nnc: unknown command '" + command + "'");
                    err.print(HELP);
                    yield USAGE;
                }
            };
        } catch (Args.UsageException e) {
            err.println("nnc " + command + ": " + e.getMessage());
            err.println("Run 'nnc " + command + " --help' for its options.");
            return USAGE;
        } catch (RuntimeException | Error e) {
            err.println("nnc: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return INTERNAL;
        }
    }

    private static int help(List<String> rest, PrintStream out, PrintStream err) {
        if (rest.isEmpty()) {
            out.print(HELP);
            return OK;
        }
        switch (rest.get(0)) {
            case "compile" -> out.print(CompileCommand.HELP);
            case "train" -> out.print(TrainCommand.HELP);
            default -> {
                err.println("nnc help: unknown command '" + rest.get(0) + "'");
                return USAGE;
            }
        }
        return OK;
    }
}
