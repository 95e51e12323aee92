package nnc.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.inspect.GraphDot;
import nnc.runtime.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nnc graph}: the forward and backward graph as Graphviz DOT, or SVG through dot. */
@Command(name = "graph", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Draw a model's forward and backward graph (Graphviz DOT or SVG).",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc graph MODEL.nn [-o FILE.dot] [--svg FILE.svg] [options]",
        descriptionHeading = "%n",
        description = {
            "Compiles MODEL.nn and prints its graph after differentiation as Graphviz DOT: every node labelled with "
                    + "its op, its shape (N is the batch), the .nn name and line it comes from; the forward pass (what "
                    + "the outputs and the loss need) in a blue cluster, the backward pass (what only the gradients "
                    + "need) in a red one; outputs, the loss and the gradients with a double border. --svg runs "
                    + "Graphviz's dot (Debian: apt-get install graphviz) to draw it.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc graph samples/src/main/nn/xor.nn --svg xor.svg",
            "  nnc graph samples/src/main/nn/deep_relu.nn --set K=2 --optimized -o deep.dot",
            "  nnc graph model.nn | dot -Tpng -o model.png",
        })
final class GraphCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
    String file;

    @Mixin
    ModelOverrides overrides;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.dot", description = "write the DOT text here (default: print it, "
            + "unless --svg is given)")
    Path output;

    @Option(names = "--svg", paramLabel = "FILE.svg", description = "draw it with Graphviz's dot into this SVG file")
    Path svg;

    @Option(names = "--optimized", description = "the graph after optimisation, which generated code runs (default: before)")
    boolean optimized;

    @Override
    public Integer call() {
        Source source = Sources.read(file, main.err());
        if (source == null) {
            return Main.NO_INPUT;
        }
        Compiler.Result r = Compiler.compile(source, overrides.apply(Compiler.Options.defaults()), new Reporter(main.err()));
        if (r == null) {
            return Main.DATA_ERROR;
        }
        String dot = GraphDot.format(optimized ? r.optimized() : r.differentiated());
        if (output == null && svg == null) {
            main.out().print(dot);
        }
        if (output != null) {
            try {
                AtomicFiles.write(output, w -> w.write(dot));
            } catch (IOException e) {
                main.err().println(Main.error(output, Code.E822, "cannot write: " + Sources.reason(e)));
                return Main.NO_INPUT;
            }
            main.out().println("wrote " + output);
        }
        if (svg != null) {
            try {
                GraphDot.svg(dot, svg);
            } catch (GraphDot.DotException e) {
                main.err().println(Main.error("nnc graph", Code.E824, e.getMessage()));
                return Main.NO_INPUT;
            } catch (IOException e) {
                main.err().println(Main.error(svg, Code.E822, "cannot write: " + Sources.reason(e)));
                return Main.NO_INPUT;
            }
            main.out().println("wrote " + svg);
        }
        return Main.OK;
    }
}
