package nnc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.Precision;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.AtomicFiles;
import nnc.runtime.Checkpoint;
import nnc.runtime.CheckpointException;
import nnc.runtime.ErrorCode;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
import nnc.runtime.data.Batches;
import nnc.runtime.data.Csv;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Generators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nnc predict}: a trained model's outputs for every sample of a data set, as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Write a trained model's predictions as CSV.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc predict MODEL.nn --weights FILE.ckpt --data DATA [options]",
        descriptionHeading = "%n",
        description = {
            "Compiles MODEL.nn in memory in the checkpoint's precision, loads the parameters of FILE.ckpt (written by "
                    + "nnc train --save), computes the outputs of every sample of DATA and writes them as CSV: a header row, "
                    + "then one row per sample in the data's order. An output of one value per sample is the column named "
                    + "after it, of k values the columns out[0] .. out[k-1]; a classifier adds the column class, the index "
                    + "of the highest score (the lowest among ties).",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  nnc predict model.nn --weights run.ckpt --data test.csv --output predictions.csv",
            "  nnc predict samples/src/main/nn/regression.nn --weights run.ckpt --data builtin:regression",
        })
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
    String file;

    @Option(names = "--weights", required = true, paramLabel = "FILE.ckpt", description = "a checkpoint of this model (required)")
    Path weights;

    @Option(names = "--data", required = true, paramLabel = "DATA", completionCandidates = TrainCommand.BuiltinNames.class,
            description = {"the samples (required): FILE.csv with a header row naming the model's inputs (other columns, "
                    + "such as targets, are ignored), or builtin:NAME, the training samples of a built-in data set: "
                    + "${COMPLETION-CANDIDATES}"})
    String data;

    @Option(names = "--output", paramLabel = "FILE.csv", description = "where to write the predictions, atomically (default: print them)")
    Path output;

    @Option(names = "--seed", paramLabel = "N", description = "seed of a built-in data set (default: the file's)")
    Long seedOption;

    @Override
    public Integer call() {
        PrintStream err = main.err();
        Source source = Sources.read(file, err);
        if (source == null) {
            return Main.NO_INPUT;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(weights);
        } catch (CheckpointException e) {
            return TrainCommand.failed(e, err);
        }
        Reporter reporter = new Reporter(err);
        Compiler.Result compiled = Compiler.compile(source, Compiler.Options.defaults().withPackage("nnc.generated")
                .withPrecision(checkpoint.isDouble() ? Precision.DOUBLE : Precision.FLOAT), reporter);
        if (compiled == null) {
            return Main.DATA_ERROR;
        }
        Model model;
        try {
            model = compiled.load().newModel();
        } catch (InMemoryJavac.CompileException e) {
            err.println("nnc: internal error: " + e.getMessage());
            return Main.INTERNAL;
        }
        try {
            checkpoint.restore(model);
        } catch (CheckpointException e) {
            return TrainCommand.failed(e, err);
        }

        List<Tensor> outputs = new ArrayList<>();
        for (Tensor t : model.outputs()) {
            if (t.isBatched()) {
                outputs.add(t); // an output that is not per sample, such as a parameter's norm, has no row
            }
        }
        if (outputs.isEmpty()) {
            err.println(Main.error(file, Code.E823, "model " + model.name() + " has no output per sample to predict"));
            return Main.DATA_ERROR;
        }
        Dataset samples;
        Batches batches;
        try {
            if (data.startsWith("builtin:")) {
                long seed = seedOption != null ? seedOption : compiled.model().train().seed();
                samples = Generators.builtin(data.substring("builtin:".length()), seed).train();
            } else {
                Path p = Path.of(data);
                if (!Files.isRegularFile(p)) {
                    err.println(Main.error(data, ErrorCode.E501, "no such file"));
                    return Main.NO_INPUT;
                }
                Map<String, int[]> inputs = new LinkedHashMap<>();
                for (Tensor t : model.inputs()) {
                    inputs.put(t.name(), t.shape());
                }
                samples = Csv.read(p, inputs);
            }
            batches = Batches.forInference(model, samples, model.maxBatch());
        } catch (DataException e) {
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        }

        Tensor scores = model.classes() > 0 && model.outputs().get(0).isBatched()
                && model.outputs().get(0).sampleSize() == model.classes() ? model.outputs().get(0) : null;
        AtomicFiles.Content csv = w -> write(w, model, batches, outputs, scores);
        if (output == null) {
            try {
                Writer w = new java.io.OutputStreamWriter(main.out(), java.nio.charset.StandardCharsets.UTF_8);
                csv.writeTo(w);
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a PrintStream does not throw
            }
            return Main.OK;
        }
        try {
            AtomicFiles.write(output, csv);
        } catch (IOException e) {
            err.println(Main.error(output, Code.E822, "cannot write it: " + Sources.reason(e)));
            return Main.NO_INPUT;
        }
        err.printf("%s: %d predictions of model %s%n", output, samples.size(), model.name());
        return Main.OK;
    }

    /** The header, then a row per sample: each output's values and, for a classifier, the class. */
    private static void write(Writer w, Model model, Batches batches, List<Tensor> outputs, Tensor scores) throws IOException {
        List<String> header = new ArrayList<>();
        for (Tensor t : outputs) {
            header.addAll(Csv.headers(t.name(), t.sampleSize()));
        }
        if (scores != null) {
            header.add("class");
        }
        w.write(String.join(",", header));
        w.write('\n');
        StringBuilder row = new StringBuilder();
        for (int b = 0; b < batches.count(); b++) {
            int n = batches.load(b);
            model.infer(n);
            for (int r = 0; r < n; r++) {
                row.setLength(0);
                for (Tensor t : outputs) {
                    int width = t.sampleSize();
                    for (int i = 0; i < width; i++) {
                        if (row.length() > 0) {
                            row.append(',');
                        }
                        // The shortest text that reads back as the same value of the model's precision.
                        row.append(t.isDouble() ? Double.toString(t.get(r * width + i)) : Float.toString(t.floats()[r * width + i]));
                    }
                }
                if (scores != null) {
                    row.append(',').append(argmax(scores, r));
                }
                w.write(row.append('\n').toString());
            }
        }
    }

    /** The index of the highest of sample {@code r}'s scores, the lowest among ties. */
    private static int argmax(Tensor scores, int r) {
        int k = scores.sampleSize();
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (scores.get(r * k + j) > scores.get(r * k + best)) {
                best = j;
            }
        }
        return best;
    }
}
