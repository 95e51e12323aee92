package nnc;

import com.palantir.javapoet.JavaFile;
import java.util.List;
import nnc.autodiff.Autodiff;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.check.Overrides;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.JavaGenerator;
import nnc.codegen.Limits;
import nnc.codegen.Precision;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.ir.Graph;
import nnc.ir.Lower;
import nnc.ir.Node;
import nnc.ir.Origin;
import nnc.opt.Optimizer;
import nnc.parse.Ast;
import nnc.parse.Parser;

/**
 * The compiler's public API, used by the command line and the build plugins: the pipeline
 * {@code parse -> check -> ir -> autodiff -> opt -> codegen}, each stage run only if the one
 * before it reported no error, like jlox's driver.
 */
public final class Compiler {
    private Compiler() {}

    /**
     * What to generate.
     *
     * @param packageName the Java package of the generated class ("" for none)
     * @param className the class name, or null to derive it from the model's name
     * @param precision float or double
     * @param maxBatch the largest batch the class accepts, or null for the .nn file's batch size (32 if it
     *     gives none)
     * @param sets overrides of the file's consts as given, {@code K=50} ({@code nnc --set})
     * @param inits overrides of the file's default initialisers as given, {@code weights=normal(0, 1)}
     *     ({@code nnc --init})
     * @param dropout false to compile dropout as the identity, so the training step's gradient is
     *     that of {@link nnc.runtime.Model#loss} (gradient checks)
     * @param vector SIMD code with the Vector API (true), scalar loops (false), or null for SIMD exactly
     *     when this JVM has jdk.incubator.vector, so that {@link Result#load()} can run it
     * @param memoryBudget the most bytes the class's buffers may take ({@link Limits#DEFAULT_MEMORY_BUDGET})
     */
    public record Options(String packageName, String className, Precision precision, Integer maxBatch,
            List<String> sets, List<String> inits, boolean dropout, Boolean vector, long memoryBudget) {
        public Options {
            sets = List.copyOf(sets);
            inits = List.copyOf(inits);
        }

        public Options(String packageName, String className, Precision precision, Integer maxBatch) {
            this(packageName, className, precision, maxBatch, List.of(), List.of(), true, null, Limits.DEFAULT_MEMORY_BUDGET);
        }

        /** With SIMD (true) or scalar (false) code, null to choose by this JVM. */
        public Options(String packageName, String className, Precision precision, Integer maxBatch, Boolean vector) {
            this(packageName, className, precision, maxBatch, List.of(), List.of(), true, vector, Limits.DEFAULT_MEMORY_BUDGET);
        }

        /** With a budget for the class's buffers, in bytes. */
        public Options withMemoryBudget(long bytes) {
            return new Options(packageName, className, precision, maxBatch, sets, inits, dropout, vector, bytes);
        }

        public static Options defaults() {
            return new Options("", null, Precision.FLOAT, null, List.of(), List.of(), true, null, Limits.DEFAULT_MEMORY_BUDGET);
        }

        public Options withPackage(String p) {
            return new Options(p, className, precision, maxBatch, sets, inits, dropout, vector, memoryBudget);
        }

        public Options withPrecision(Precision p) {
            return new Options(packageName, className, p, maxBatch, sets, inits, dropout, vector, memoryBudget);
        }

        public Options withMaxBatch(Integer b) {
            return new Options(packageName, className, precision, b, sets, inits, dropout, vector, memoryBudget);
        }

        public Options withClassName(String c) {
            return new Options(packageName, c, precision, maxBatch, sets, inits, dropout, vector, memoryBudget);
        }

        /** With the file's consts overridden: {@code K=50} each. */
        public Options withSets(List<String> s) {
            return new Options(packageName, className, precision, maxBatch, s, inits, dropout, vector, memoryBudget);
        }

        /** With the file's default initialisers overridden: {@code weights=normal(0, 1)} each. */
        public Options withInits(List<String> i) {
            return new Options(packageName, className, precision, maxBatch, sets, i, dropout, vector, memoryBudget);
        }

        /** With dropout compiled in (true, the default) or left out. */
        public Options withDropout(boolean d) {
            return new Options(packageName, className, precision, maxBatch, sets, inits, d, vector, memoryBudget);
        }

        /** SIMD (true) or scalar (false) code; null chooses by this JVM. */
        public Options withVector(Boolean v) {
            return new Options(packageName, className, precision, maxBatch, sets, inits, dropout, v, memoryBudget);
        }

        /** Whether the code will use the Vector API. */
        public boolean usesVectors() {
            return vector != null ? vector : JavaGenerator.vectorAvailable();
        }
    }

    /**
     * Everything the compiler produced for one model.
     *
     * @param model the checked model: names, shapes, training settings
     * @param forward the forward graph as lowered
     * @param differentiated the forward graph with gradients, before optimisation
     * @param optimized the graph code is generated from
     * @param javaFile the generated class
     * @param unusedParams parameters the loss does not depend on (a warning)
     */
    public record Result(CheckedModel model, Graph forward, Graph differentiated, Graph optimized,
            JavaFile javaFile, String qualifiedName, int maxBatch, List<String> unusedParams) {
        /** The generated Java source. */
        public String javaSource() {
            return javaFile.toString();
        }

        /** Compiles the generated source in memory and loads the class. */
        public InMemoryJavac.Compiled load() throws InMemoryJavac.CompileException {
            return InMemoryJavac.compile(qualifiedName, javaSource());
        }
    }

    /** Compiles one .nn source; returns null after reporting errors to {@code reporter}. */
    public static Result compile(Source source, Options options, Reporter reporter) {
        try {
            return run(source, options, reporter);
        } catch (StackOverflowError e) {
            // The parser bounds nesting; this is the last resort for whatever still recurses too deep.
            reporter.error(Code.E401, source, 1, 1, 1, "the model is nested too deeply to compile");
            return null;
        }
    }

    private static Result run(Source source, Options options, Reporter reporter) {
        CheckedModel model = check(source, options, reporter);
        if (model == null) {
            return null;
        }
        Ast.Model ast = model.ast();
        Graph forward = Lower.lowering(model, options.dropout()).graph();
        if (!fitsOneClass(forward, ast, source, reporter)) {
            return null;
        }
        Autodiff.Result diff = Autodiff.differentiate(forward);
        for (String p : diff.unusedParams()) {
            model.warnUnused(p, reporter);
        }
        Graph optimized = Optimizer.standard().run(diff.graph());
        int maxBatch = options.maxBatch() != null ? options.maxBatch() : model.train().batch();
        if (!fitsOneClass(optimized, ast, source, reporter) || !fitsMemory(optimized, maxBatch, options, ast, source, reporter)) {
            return null;
        }
        String className = JavaGenerator.className(options.className() != null ? options.className() : model.name());
        JavaFile file = JavaGenerator.generate(optimized, new JavaGenerator.Options(options.packageName(), className,
                options.precision(), maxBatch, source.path(), options.usesVectors()));
        String qualified = options.packageName().isEmpty() ? className : options.packageName() + "." + className;
        return new Result(model, forward, diff.graph(), optimized, file, qualified, maxBatch, diff.unusedParams());
    }

    /**
     * The first stages only: parses {@code source}, applies the options' overrides and checks it;
     * null after reporting errors.
     */
    public static CheckedModel check(Source source, Options options, Reporter reporter) {
        Ast.Model ast = Parser.parse(source, reporter);
        if (ast == null || reporter.hadErrors()) {
            return null;
        }
        ast = Overrides.apply(ast, options.sets(), options.inits(), reporter);
        if (ast == null || reporter.hadErrors()) {
            return null;
        }
        CheckedModel model = Checker.check(ast, source, reporter);
        return model == null || reporter.hadErrors() ? null : model;
    }

    /** Checked on the forward graph first, so a huge model is refused before it is differentiated. */
    private static boolean fitsOneClass(Graph graph, Ast.Model ast, Source source, Reporter reporter) {
        String tooMany = graph.nodes().size() > Limits.MAX_OPERATIONS
                ? graph.nodes().size() + " operations, more than the " + Limits.MAX_OPERATIONS
                : graph.params().size() > Limits.MAX_PARAMETERS
                ? graph.params().size() + " parameter tensors, more than the " + Limits.MAX_PARAMETERS : null;
        if (tooMany == null) {
            return true;
        }
        reporter.error(Code.E402, source, ast.namePos().line(), ast.namePos().column(), ast.namePos().length(),
                "model too large: " + tooMany + " one generated class can hold; use fewer layers or repetitions");
        return false;
    }

    /** "parameter 'h1.weight'", "value 'h1'" or "an intermediate value", for messages. */
    private static String describe(Node n) {
        if (n == null) {
            return "a value";
        } else if (n.name() != null) {
            return n.op().toString().toLowerCase(java.util.Locale.ROOT) + " '" + n.name() + "'";
        }
        return n.label() != null ? "value '" + n.label() + "'" : "an intermediate value";
    }

    private static boolean fitsMemory(Graph graph, int maxBatch, Options options, Ast.Model ast, Source source,
            Reporter reporter) {
        Limits.Memory m = Limits.memory(graph, maxBatch, options.precision(), options.usesVectors());
        String what = describe(m.largest());
        Origin at = m.largest() == null ? Origin.NONE : m.largest().origin();
        int line = at.line() > 0 ? at.line() : ast.namePos().line();
        int column = at.line() > 0 ? at.column() : ast.namePos().column();
        if (m.largestElements() > Limits.MAX_ARRAY) {
            reporter.error(Code.E403, source, line, column, 1, what + " needs " + m.largestElements()
                    + " elements for batches of " + maxBatch + ", more than a Java array holds (" + Limits.MAX_ARRAY
                    + "); use a smaller batch or smaller layers");
            return false;
        }
        if (m.bytes() > options.memoryBudget()) {
            reporter.error(Code.E404, source, line, column, 1, "model needs " + m.bytes() + " bytes of buffers for batches of "
                    + maxBatch + " in " + options.precision().name().toLowerCase(java.util.Locale.ROOT) + ", more than the memory budget of "
                    + options.memoryBudget() + " bytes (the largest is " + what + "); use a smaller batch or raise the budget");
            return false;
        }
        return true;
    }
}
