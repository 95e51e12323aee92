package nnc.cli;

import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.check.CheckedModel;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.inspect.ParamsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nnc params}: the course's table of layers, shapes and parameter counts. */
@Command(name = "params", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Print a model's layers with their output shapes and parameter counts.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc params MODEL.nn [options]",
        descriptionHeading = "%n",
        description = {
            "Checks MODEL.nn and prints one row per layer: its name (h.1 .. h.K inside a repeat), its kind (the "
                    + "function: dense, relu, ...; 'expression' for arithmetic, 'param' for a declared parameter), the "
                    + "shape of its output (N is the batch), its number of parameters and its line; then the total.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc params samples/src/main/nn/regression.nn",
            "  nnc params samples/src/main/nn/deep_relu.nn --set K=50 --set D=80",
        })
final class ParamsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
    String file;

    @Mixin
    ModelOverrides overrides;

    @Override
    public Integer call() {
        Source source = Sources.read(file, main.err());
        if (source == null) {
            return Main.NO_INPUT;
        }
        CheckedModel model = Compiler.check(source, overrides.apply(Compiler.Options.defaults()), new Reporter(main.err()));
        if (model == null) {
            return Main.DATA_ERROR;
        }
        main.out().print(ParamsTable.format(model));
        return Main.OK;
    }
}
