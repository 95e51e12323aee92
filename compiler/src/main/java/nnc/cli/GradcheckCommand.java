package nnc.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.inspect.GradientCheck;
import nnc.inspect.Samples;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import nnc.runtime.data.DataException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nnc gradcheck}: backpropagation against finite differences, in double precision. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Check every parameter's gradient against finite differences.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc gradcheck MODEL.nn [options]",
        descriptionHeading = "%n",
        description = {
            "Compiles MODEL.nn in double precision, initialises it with the seed, and compares the gradient "
                    + "backpropagation gives for every parameter element with the central difference "
                    + "(L(w + delta) - L(w - delta)) / (2 delta) of the loss (plus the file's weight decay or L1 "
                    + "penalty, which training minimises too), as numpy's allclose does: |backprop - numeric| <= "
                    + "atol + rtol * |numeric|. Dropout is compiled out: the backward pass would drop units the "
                    + "loss keeps. Prints one row per parameter and exits with 1 if any element disagrees.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 every element agrees, 1 some do not, and 64, 65, 66, 70 as for every command.",
            "",
            "Examples:",
            "  nnc gradcheck samples/src/main/nn/deep_relu.nn",
            "  nnc gradcheck samples/src/main/nn/deep_relu.nn --set K=50 --set D=80 --init 'weights=normal(0, 1)'",
            "  nnc gradcheck model.nn --data train.csv --samples 4 --max-elements 1000 --rtol 1e-4",
        })
final class GradcheckCommand implements Callable<Integer> {
    /** The exit status when a gradient disagrees. */
    static final int FAILED = 1;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
    String file;

    @Mixin
    ModelOverrides overrides;

    @Option(names = "--samples", paramLabel = "N", description = "inputs the loss averages over (default 4)")
    int samples = 4;

    @Option(names = "--data", paramLabel = "DATA", description = "take the first N rows of this CSV file or builtin:NAME "
            + "instead of random Normal(0, 1) inputs and targets")
    String data;

    @Option(names = "--delta", paramLabel = "X", description = "the finite-difference step (default 1e-6)")
    double delta = 1e-6;

    @Option(names = "--rtol", paramLabel = "X", description = "relative tolerance, as numpy's allclose (default 1e-5)")
    double rtol = 1e-5;

    @Option(names = "--atol", paramLabel = "X", description = "absolute tolerance, as numpy's allclose (default 1e-8)")
    double atol = 1e-8;

    @Option(names = "--max-elements", paramLabel = "N", description = "check at most N elements of each parameter, "
            + "drawn at random (default 100)")
    int maxElements = 100;

    @Option(names = "--seed", paramLabel = "N", description = "seed for the initialisation, the inputs and the elements "
            + "drawn (default: the file's)")
    Long seed;

    @Option(names = "--interpret", description = "run the graph with nnc's interpreter (in double) instead of generated code")
    boolean interpret;

    @Override
    public Integer call() {
        if (samples < 1) {
            throw Main.usage(spec, "--samples must be at least 1, not " + samples);
        }
        if (maxElements < 1) {
            throw Main.usage(spec, "--max-elements must be at least 1, not " + maxElements);
        }
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw Main.usage(spec, "--delta must be a positive number, not " + delta);
        }
        if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw Main.usage(spec, "--rtol and --atol must be numbers of at least 0");
        }
        Source source = Sources.read(file, main.err());
        if (source == null) {
            return Main.NO_INPUT;
        }
        Compiler.Options options = overrides.apply(Compiler.Options.defaults()).withPackage("nnc.generated")
                .withPrecision(Precision.DOUBLE).withMaxBatch(samples).withDropout(false);
        Compiler.Result compiled = Compiler.compile(source, options, new Reporter(main.err()));
        if (compiled == null) {
            return Main.DATA_ERROR;
        }
        Model model;
        if (interpret) {
            model = new InterpretedModel(compiled.optimized(), compiled.maxBatch(), true);
        } else {
            try {
                model = compiled.load().newModel();
            } catch (InMemoryJavac.CompileException e) {
                main.err().println("nnc: internal error: " + e.getMessage());
                return Main.INTERNAL;
            }
        }
        long s = seed != null ? seed : compiled.model().train().seed();
        model.initialize(s);
        int n = samples;
        try {
            if (data != null) {
                n = Samples.from(model, InspectData.load(data, model, s), samples);
            } else {
                Samples.random(model, n, s, "gradcheck");
            }
        } catch (DataException e) {
            main.err().println(e.getMessage());
            return Main.DATA_ERROR;
        }
        GradientCheck.Settings settings = new GradientCheck.Settings(delta, rtol, atol, maxElements, s);
        GradientCheck.Report report = GradientCheck.run(model, n, settings, GradientCheck.penalty(compiled.model()));
        main.out().printf(Locale.ROOT, "%s: gradient check on %s, seed %d; central differences, delta %s; "
                + "allclose(rtol %s, atol %s); double precision, %s, dropout off%n", model.name(),
                data == null ? n + " random inputs, Normal(0, 1)" : "the first " + n + " rows of " + data, s,
                plain(delta), plain(rtol), plain(atol), interpret ? "interpreted" : "generated code");
        main.out().print(report.format());
        return report.passed() ? Main.OK : FAILED;
    }

    /** 1e-6 rather than 1.0E-6. */
    static String plain(double v) {
        return Double.toString(v).replace("E", "e").replace(".0e", "e");
    }
}
