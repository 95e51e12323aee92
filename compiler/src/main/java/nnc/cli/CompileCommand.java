package nnc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.codegen.Limits;
import nnc.codegen.MemoryPlan;
import nnc.codegen.Precision;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.inspect.MemoryTable;
import nnc.ir.IrPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nnc compile}: writes the generated Java source of a model. */
@Command(name = "compile", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Write a model's Java class.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc compile MODEL.nn -d DIR [options]",
        descriptionHeading = "%n",
        description = {
            "Compiles MODEL.nn and writes its Java class to DIR/<package folders>/<Model>.java (to a "
                    + "temporary file first, then renamed). The class depends only on nnc's runtime library.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc compile model.nn -d src/generated/java --package com.example",
            "  nnc compile model.nn -d out --class Net --double --max-batch 1",
            "  nnc compile model.nn -d /tmp --dump-ir     (print the graph before and after optimisation)",
            "  nnc compile model.nn -d /tmp --stats       (print the memory plan's arrays and bytes)",
        })
final class CompileCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model to compile")
    String file;

    @Option(names = "-d", required = true, paramLabel = "DIR", description = "where to write the source (required)")
    Path dir;

    @Option(names = "--package", paramLabel = "NAME", description = "Java package of the class (default: none)")
    String pkg = "";

    @Option(names = "--class", paramLabel = "NAME", description = "class name (default: the model's name)")
    String cls;

    @Option(names = "--double", description = "compute in double precision (default: float)")
    boolean dbl;

    @Option(names = "--scalar", description = "plain scalar loops instead of SIMD code with the Vector API (default: SIMD, "
            + "which needs --add-modules jdk.incubator.vector to compile and run)")
    boolean scalar;

    @Option(names = "--max-batch", paramLabel = "N", description = "largest batch the class accepts (default: the file's batch, else 32)")
    Integer maxBatch;

    @Option(names = "--dump-ir", description = "print the IR graph before and after optimisation")
    boolean dumpIr;

    @Option(names = "--stats", description = "print the arrays the class allocates, planned (values share arrays where "
            + "their lifetimes allow) against one array per value")
    boolean stats;

    @Option(names = "--memory-budget", paramLabel = "BYTES", description = "refuse a model whose buffers need more "
            + "(default: 2147483648, 2 GiB)")
    Long memoryBudget;

    @Override
    public Integer call() {
        PrintStream out = main.out();
        PrintStream err = main.err();
        if (!pkg.isEmpty() && !pkg.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw Main.usage(spec, "--package '" + pkg + "' is not a Java package name");
        }
        if (cls != null && !cls.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw Main.usage(spec, "--class '" + cls + "' is not a Java class name");
        }
        if (maxBatch != null && maxBatch < 1) {
            throw Main.usage(spec, "--max-batch must be at least 1, not " + maxBatch);
        }
        Source source = Sources.read(file, err);
        if (source == null) {
            return Main.NO_INPUT;
        }
        if (memoryBudget != null && memoryBudget < 1) {
            throw Main.usage(spec, "--memory-budget must be at least 1 byte, not " + memoryBudget);
        }
        Compiler.Options options = new Compiler.Options(pkg, cls, dbl ? Precision.DOUBLE : Precision.FLOAT, maxBatch,
                scalar ? Boolean.FALSE : null).withMemoryBudget(memoryBudget != null ? memoryBudget : Limits.DEFAULT_MEMORY_BUDGET);
        Reporter reporter = new Reporter(err);
        Compiler.Result r = Compiler.compile(source, options, reporter);
        if (r == null) {
            return Main.DATA_ERROR;
        }
        if (dumpIr) {
            out.println("// IR after differentiation, before optimisation (" + r.differentiated().nodes().size() + " nodes)");
            out.print(IrPrinter.print(r.differentiated()));
            out.println("// IR after optimisation (" + r.optimized().nodes().size() + " nodes)");
            out.print(IrPrinter.print(r.optimized()));
        }
        if (stats) {
            out.print(MemoryTable.render(MemoryPlan.of(r.optimized(), r.maxBatch(), options.precision(), options.usesVectors()),
                    r.javaFile().typeSpec().name(), r.maxBatch(), options.precision(), options.usesVectors()));
        }
        try {
            Path written = Sources.writeJava(dir, r.javaFile());
            out.println("wrote " + written);
        } catch (IOException e) {
            err.println(Main.error(dir, Code.E822, "cannot write the class: " + Sources.reason(e)));
            return Main.NO_INPUT;
        }
        return Main.OK;
    }
}
