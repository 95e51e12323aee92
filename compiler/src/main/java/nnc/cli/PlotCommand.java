package nnc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.diag.Code;
import nnc.plot.TrainingPlots;
import nnc.runtime.ErrorCode;
import nnc.runtime.History;
import nnc.runtime.data.DataException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nnc plot}: draws the training curves of a history file. */
@Command(name = "plot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Draw the loss and accuracy curves of a training history.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc plot HISTORY.csv -o DIR [--name NAME]",
        descriptionHeading = "%n",
        description = {
            "Reads a history file written by nnc train --history and writes DIR/loss.png and DIR/loss.svg "
                    + "(training and validation loss per epoch, on a logarithmic axis when the loss spans a decade) "
                    + "and, if the history has accuracies (a classifier), DIR/accuracy.png and DIR/accuracy.svg. "
                    + "Each file is written to a temporary file first, then renamed.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc train model.nn --data builtin:regression --history run.csv",
            "  nnc plot run.csv -o plots --name Regression",
        })
final class PlotCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "HISTORY.csv", description = "the history file (nnc train --history)")
    Path file;

    @Option(names = "-o", required = true, paramLabel = "DIR", description = "where to write the pictures (required; created if needed)")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", description = "the name in the charts' titles (default: the file's name without .csv)")
    String name;

    @Override
    public Integer call() {
        PrintStream out = main.out();
        PrintStream err = main.err();
        if (!Files.isRegularFile(file)) {
            err.println(Main.error(file, ErrorCode.E501, "no such file"));
            return Main.NO_INPUT;
        }
        History history;
        try {
            history = History.readCsv(file);
        } catch (DataException e) {
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        }
        String title = name != null ? name : file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<Path> files;
        try {
            files = TrainingPlots.writeCurves(dir, title, history.rows());
        } catch (IOException e) {
            err.println(Main.error(dir, Code.E822, "cannot write the plots: " + Sources.reason(e)));
            return Main.NO_INPUT;
        }
        if (files.isEmpty()) {
            err.println(Main.error(file, Code.E823, "no epoch with a finite loss or accuracy: nothing to draw"));
            return Main.DATA_ERROR;
        }
        for (Path p : files) {
            out.println("wrote " + p);
        }
        return Main.OK;
    }
}
