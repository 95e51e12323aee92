package nnc.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.check.CheckedModel;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.inspect.Diagnose;
import nnc.inspect.DiagnosePlots;
import nnc.interp.InterpretedModel;
import nnc.ir.Lower;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nnc diagnose}: activations, gradients and dead units of a network at initialisation. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Show how activations and gradients behave through a model at initialisation.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc diagnose MODEL.nn [options]",
        descriptionHeading = "%n",
        description = {
            "Initialises MODEL.nn with the seed and runs it in nnc's interpreter in double precision (dropout off). "
                    + "For every layer it prints the standard deviation of its values over --samples inputs, of the "
                    + "loss gradient with respect to them over --backward-samples inputs taken one at a time, and "
                    + "for ReLU layers the dead units: those whose input (the pre-activation) is <= 0 for every "
                    + "input. Then it says in words whether each stack of layers of one kind and shape explodes "
                    + "(the std grows more than tenfold from its first layer to its last; for gradients, from its last "
                    + "to its first), vanishes (shrinks more than tenfold) or stays steady, and how many units are dead.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc diagnose samples/src/main/nn/deep_relu.nn --set K=50 --set D=80",
            "  nnc diagnose samples/src/main/nn/deep_relu.nn --set K=50 --set D=80 --init 'weights=normal(0, 1)'",
            "  nnc diagnose samples/src/main/nn/dead_units.nn --data builtin:regression --plots plots",
        })
final class DiagnoseCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
    String file;

    @Mixin
    ModelOverrides overrides;

    @Option(names = "--samples", paramLabel = "N", description = "inputs for the activations and dead units (default 1000, "
            + "as the course)")
    int samples = 1000;

    @Option(names = "--backward-samples", paramLabel = "N", description = "inputs for the gradients (default 100, as the course)")
    int backwardSamples = 100;

    @Option(names = "--data", paramLabel = "DATA", description = "use the rows of this CSV file or builtin:NAME (its "
            + "training part) instead of random Normal(0, 1) inputs and targets")
    String data;

    @Option(names = "--seed", paramLabel = "N", description = "seed for the initialisation and the inputs (default: the file's)")
    Long seed;

    @Option(names = "--plots", paramLabel = "DIR", description = "also draw the standard deviations and the dead units per "
            + "layer as bar charts, DIR/diagnose-std.png and .svg, DIR/diagnose-dead-units.png and .svg")
    Path plots;

    @Override
    public Integer call() {
        if (samples < 1 || backwardSamples < 0) {
            throw Main.usage(spec, "--samples must be at least 1 and --backward-samples at least 0");
        }
        Source source = Sources.read(file, main.err());
        if (source == null) {
            return Main.NO_INPUT;
        }
        CheckedModel model = Compiler.check(source, overrides.apply(Compiler.Options.defaults()), new Reporter(main.err()));
        if (model == null) {
            return Main.DATA_ERROR;
        }
        long s = seed != null ? seed : model.train().seed();
        Dataset dataset = null;
        if (data != null) {
            try {
                // The data's columns are checked against the model's inputs and targets.
                dataset = InspectData.load(data, new InterpretedModel(Lower.lower(model), 1, true), s);
            } catch (DataException e) {
                main.err().println(e.getMessage());
                return Main.DATA_ERROR;
            }
        }
        Diagnose.Report report;
        try {
            report = Diagnose.run(model, new Diagnose.Settings(samples, backwardSamples, s, dataset));
        } catch (DataException e) {
            main.err().println(e.getMessage());
            return Main.DATA_ERROR;
        }
        main.out().print(report.format());
        if (plots != null) {
            try {
                for (Path written : DiagnosePlots.write(report, plots)) {
                    main.out().println("wrote " + written);
                }
            } catch (IOException e) {
                main.err().println(Main.error(plots, Code.E822, "cannot write the charts: " + Sources.reason(e)));
                return Main.NO_INPUT;
            }
        }
        return Main.OK;
    }
}
