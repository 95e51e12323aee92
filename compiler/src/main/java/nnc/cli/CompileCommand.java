package nnc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import nnc.Compiler;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.ir.IrPrinter;

/** {@code nnc compile}: writes the generated Java source of a model. */
final class CompileCommand {
    static final String HELP = """
            Usage: nnc compile MODEL.nn -d DIR [options]

            Compiles MODEL.nn and writes its Java class to DIR/<package folders>/<Model>.java.
            The class depends only on nnc's runtime library.

            Options:
              -d DIR             where to write the source (required)
              --package NAME     Java package of the class (default: none)
              --class NAME       class name (default: the model's name)
              --double           compute in double precision (default: float)
              --max-batch N      largest batch the class accepts (default: the file's batch, else 256)
              --dump-ir          print the IR graph before and after optimisation
              --debug            print internal stack traces
            """;

    private final PrintStream out;
    private final PrintStream err;

    CompileCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws Args.UsageException {
        Args a = Args.parse(argv, Set.of("d", "package", "class", "max-batch"), Set.of("double", "dump-ir", "debug", "help"));
        if (a.has("help")) {
            out.print(HELP);
            return Main.OK;
        }
        if (a.positional().size() != 1) {
            throw new Args.UsageException(a.positional().isEmpty() ? "which .nn file? give one" : "give one .nn file, not " + a.positional().size());
        }
        if (!a.has("d")) {
            throw new Args.UsageException("-d DIR is required: where to write the Java source");
        }
        String pkg = a.has("package") ? a.get("package") : "";
        if (!pkg.isEmpty() && !pkg.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new Args.UsageException("--package '" + pkg + "' is not a Java package name");
        }
        String cls = a.get("class");
        if (cls != null && !cls.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new Args.UsageException("--class '" + cls + "' is not a Java class name");
        }
        Source source = Sources.read(a.positional().get(0), err);
        if (source == null) {
            return Main.NO_INPUT;
        }
        Compiler.Options options = new Compiler.Options(pkg, cls,
                a.has("double") ? Precision.DOUBLE : Precision.FLOAT, a.intOption("max-batch", 1));
        Reporter reporter = new Reporter(err);
        Compiler.Result r = Compiler.compile(source, options, reporter);
        if (r == null) {
            return Main.DATA_ERROR;
        }
        if (a.has("dump-ir")) {
            out.println("// IR after differentiation, before optimisation (" + r.differentiated().nodes().size() + " nodes)");
            out.print(IrPrinter.print(r.differentiated()));
            out.println("// IR after optimisation (" + r.optimized().nodes().size() + " nodes)");
            out.print(IrPrinter.print(r.optimized()));
        }
        try {
            Path written = Sources.writeJava(Path.of(a.get("d")), r.javaFile());
            out.println("wrote " + written);
        } catch (IOException e) {
            err.println("nnc compile: cannot write to " + a.get("d") + ": " + e.getMessage());
            return Main.NO_INPUT;
        }
        return Main.OK;
    }
}
