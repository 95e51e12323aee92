package nnc;

import com.palantir.javapoet.JavaFile;
import java.util.List;
import nnc.autodiff.Autodiff;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.check.Overrides;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.JavaGenerator;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.ir.Graph;
import nnc.ir.Lower;
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
     */
    public record Options(String packageName, String className, Precision precision, Integer maxBatch,
            List<String> sets, List<String> inits, boolean dropout, Boolean vector) {
        public Options {
            sets = List.copyOf(sets);
            inits = List.copyOf(inits);
        }

        public Options(String packageName, String className, Precision precision, Integer maxBatch) {
            this(packageName, className, precision, maxBatch, List.of(), List.of(), true, null);
        }

        /** With SIMD (true) or scalar (false) code, null to choose by this JVM. */
        public Options(String packageName, String className, Precision precision, Integer maxBatch, Boolean vector) {
            this(packageName, className, precision, maxBatch, List.of(), List.of(), true, vector);
        }

        public static Options defaults() {
            return new Options("", null, Precision.FLOAT, null, List.of(), List.of(), true, null);
        }

        public Options withPackage(String p) {
            return new Options(p, className, precision, maxBatch, sets, inits, dropout, vector);
        }

        public Options withPrecision(Precision p) {
            return new Options(packageName, className, p, maxBatch, sets, inits, dropout, vector);
        }

        public Options withMaxBatch(Integer b) {
            return new Options(packageName, className, precision, b, sets, inits, dropout, vector);
        }

        public Options withClassName(String c) {
            return new Options(packageName, c, precision, maxBatch, sets, inits, dropout, vector);
        }

        /** With the file's consts overridden: {@code K=50} each. */
        public Options withSets(List<String> s) {
            return new Options(packageName, className, precision, maxBatch, s, inits, dropout, vector);
        }

        /** With the file's default initialisers overridden: {@code weights=normal(0, 1)} each. */
        public Options withInits(List<String> i) {
            return new Options(packageName, className, precision, maxBatch, sets, i, dropout, vector);
        }

        /** With dropout compiled in (true, the default) or left out. */
        public Options withDropout(boolean d) {
            return new Options(packageName, className, precision, maxBatch, sets, inits, d, vector);
        }

        /** SIMD (true) or scalar (false) code; null chooses by this JVM. */
        public Options withVector(Boolean v) {
            return new Options(packageName, className, precision, maxBatch, sets, inits, dropout, v);
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
        CheckedModel model = check(source, options, reporter);
        if (model == null) {
            return null;
        }
        Graph forward = Lower.lowering(model, options.dropout()).graph();
        Autodiff.Result diff = Autodiff.differentiate(forward);
        for (String p : diff.unusedParams()) {
            model.warnUnused(p, reporter);
        }
        Graph optimized = Optimizer.standard().run(diff.graph());
        int maxBatch = options.maxBatch() != null ? options.maxBatch() : model.train().batch();
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
}
