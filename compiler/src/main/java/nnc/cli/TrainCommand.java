package nnc.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Csv;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Generators;

/** {@code nnc train}: compiles a model in memory and trains it. */
final class TrainCommand {
    static final String HELP = """
            Usage: nnc train MODEL.nn [options]

            Compiles MODEL.nn in memory, trains it with the settings of its train { } block, prints
            one line per epoch, then the final training and validation loss and the wall time. For a
            classifier (a target class(K) and an output of K scores) it prints the accuracy too.

            Data (one of):
              --data FILE.csv       training data: a header row naming the model's inputs and
                                    targets (a tensor x of k > 1 values is columns x[0] .. x[k-1])
              --data builtin:NAME   a built-in data set: %s
                                    (fashion-mnist: 60,000 training images, x of [784] pixels in
                                    [0, 1] and y the class 0..9; its validation set is the course's
                                    10,000 test images; fashion-mnist-images has x of [1, 28, 28];
                                    both need: apt-get install dataset-fashion-mnist)
              --validation FILE.csv validation data for --data FILE.csv (optional)

            Overrides of the file's settings:
              --epochs N            number of passes over the data
              --batch N             samples per step
              --lr X                learning rate
              --seed N              seed for initialisation, shuffling and built-in data
              --shuffle             shuffle the training data every epoch

            Output:
              --every N             print every N-th epoch (default 1: every epoch)
              --json                print one JSON object per line instead of text:
                                    {"event":"start", "model", "parameters", "precision", "train_samples",
                                     "validation_samples", "epochs", "batch", "lr", "seed"}
                                    {"event":"epoch", "epoch", "epochs", "train_loss", "validation_loss",
                                     "train_accuracy", "validation_accuracy", "seconds"}
                                    {"event":"end", "initial_train_loss", "train_loss", "validation_loss",
                                     "train_accuracy", "validation_accuracy", "epochs", "seconds"}
                                    (a loss without data is null; so is an accuracy, and for a model
                                    that is not a classifier; accuracy is the share of samples whose
                                    highest score is their class)
              --double              compute in double precision (default: float)
              --interpret           run the graph with nnc's interpreter instead of generated code
                                    (slower; the reference generated code is tested against)
              --dump-ir             print the IR graph before and after optimisation
              --debug               print internal stack traces
            """.formatted(String.join(", ", Generators.builtinNames()));

    private final PrintStream out;
    private final PrintStream err;

    TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws Args.UsageException {
        Args a = Args.parse(argv, Set.of("data", "validation", "epochs", "batch", "lr", "seed", "every"),
                Set.of("shuffle", "json", "double", "dump-ir", "debug", "help", "interpret"));
        if (a.has("help")) {
            out.print(HELP);
            return Main.OK;
        }
        if (a.positional().size() != 1) {
            throw new Args.UsageException(a.positional().isEmpty() ? "which .nn file? give one" : "give one .nn file, not " + a.positional().size());
        }
        if (!a.has("data")) {
            throw new Args.UsageException("--data is required: a CSV file or builtin:NAME (" + String.join(", ", Generators.builtinNames()) + ")");
        }
        Integer epochsOption = a.intOption("epochs", 0);
        Integer batchOption = a.intOption("batch", 1);
        Double lrOption = a.positiveDouble("lr");
        Long seedOption = a.longOption("seed");
        int every = a.has("every") ? a.intOption("every", 1) : 1;
        boolean json = a.has("json");

        Source source = Sources.read(a.positional().get(0), err);
        if (source == null) {
            return Main.NO_INPUT;
        }
        Reporter reporter = new Reporter(err);
        // Compile once to learn the file's settings; the batch decides the buffers' size.
        Compiler.Options options = Compiler.Options.defaults()
                .withPackage("nnc.generated")
                .withPrecision(a.has("double") ? Precision.DOUBLE : Precision.FLOAT)
                .withMaxBatch(batchOption);
        Compiler.Result compiled = Compiler.compile(source, options, reporter);
        if (compiled == null) {
            return Main.DATA_ERROR;
        }
        var settings = compiled.model().train();
        int batch = batchOption != null ? batchOption : compiled.maxBatch();
        int epochs = epochsOption != null ? epochsOption : settings.epochs();
        double lr = lrOption != null ? lrOption : settings.lr();
        long seed = seedOption != null ? seedOption : settings.seed();
        boolean shuffle = a.has("shuffle") || settings.shuffle();
        if (a.has("dump-ir")) {
            out.print(nnc.ir.IrPrinter.print(compiled.differentiated()));
            out.print(nnc.ir.IrPrinter.print(compiled.optimized()));
        }

        Model model;
        if (a.has("interpret")) {
            model = new InterpretedModel(compiled.optimized(), compiled.maxBatch(), a.has("double"));
        } else {
            try {
                model = compiled.load().newModel();
            } catch (InMemoryJavac.CompileException e) {
                err.println("nnc: internal error: " + e.getMessage());
                return Main.INTERNAL;
            }
        }

        Dataset train;
        Dataset validation;
        try {
            String spec = a.get("data");
            if (spec.startsWith("builtin:")) {
                Generators.Split split = Generators.builtin(spec.substring("builtin:".length()), seed);
                train = split.train();
                validation = split.validation();
            } else {
                train = Csv.read(existing(spec), Csv.columns(model));
                validation = a.has("validation") ? Csv.read(existing(a.get("validation")), Csv.columns(model)) : null;
            }
        } catch (DataException e) {
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        }

        model.initialize(seed);
        Trainer trainer = new Trainer(new Trainer.Config(epochs, batch, shuffle, seed));
        Sgd sgd = new Sgd(lr);
        if (json) {
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("event", "start");
            start.put("model", model.name());
            start.put("parameters", model.parameterCount());
            start.put("precision", model.isDouble() ? "double" : "float");
            start.put("train_samples", train.size());
            start.put("validation_samples", validation == null ? null : validation.size());
            start.put("epochs", epochs);
            start.put("batch", batch);
            start.put("lr", lr);
            start.put("seed", seed);
            out.println(Json.object(start));
        } else {
            out.printf(Locale.ROOT, "%s: %,d parameters, %s, %s%s, batch %d, sgd lr %s, %d epochs, seed %d%n",
                    model.name(), model.parameterCount(), model.isDouble() ? "double" : "float",
                    plural(train.size(), "training sample"),
                    validation == null ? "" : ", " + validation.size() + " validation", batch, lr, epochs, seed);
        }
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                if (r.epoch() % every != 0 && r.epoch() != 1 && r.epoch() != r.epochs()) {
                    return;
                }
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("event", "epoch");
                    m.put("epoch", r.epoch());
                    m.put("epochs", r.epochs());
                    m.put("train_loss", r.trainLoss());
                    m.put("validation_loss", r.validationLoss());
                    m.put("train_accuracy", r.trainAccuracy());
                    m.put("validation_accuracy", r.validationAccuracy());
                    m.put("seconds", r.seconds());
                    out.println(Json.object(m));
                } else {
                    int width = Integer.toString(r.epochs()).length();
                    out.printf(Locale.ROOT, "epoch %" + width + "d/%d  train loss %.6f%s%s%s%n", r.epoch(), r.epochs(),
                            r.trainLoss(), accuracy("  train", r.trainAccuracy()), loss("  validation", r.validationLoss()),
                            accuracy("  validation", r.validationAccuracy()));
                }
            }
        };
        Trainer.Summary s;
        try {
            s = trainer.train(model, sgd, train, validation, listener);
        } catch (DataException e) {
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "end");
            m.put("initial_train_loss", s.initialTrainLoss());
            m.put("train_loss", s.finalTrainLoss());
            m.put("validation_loss", s.finalValidationLoss());
            m.put("train_accuracy", s.finalTrainAccuracy());
            m.put("validation_accuracy", s.finalValidationAccuracy());
            m.put("epochs", s.epochs());
            m.put("seconds", s.seconds());
            out.println(Json.object(m));
        } else {
            out.printf(Locale.ROOT, "final: train loss %.6f (initially %.6f)%s%s%s, %d epochs in %.2f s%n",
                    s.finalTrainLoss(), s.initialTrainLoss(), accuracy(", train", s.finalTrainAccuracy()),
                    loss(", validation", s.finalValidationLoss()), accuracy(", validation", s.finalValidationAccuracy()),
                    s.epochs(), s.seconds());
        }
        return Main.OK;
    }

    /** {@code "  validation loss 0.123456"}, or nothing if there is no such loss (NaN). */
    private static String loss(String prefix, double loss) {
        return Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "%s loss %.6f", prefix, loss);
    }

    /** {@code "  train accuracy 0.8123"}, or nothing for a model that is not a classifier (NaN). */
    private static String accuracy(String prefix, double accuracy) {
        return Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, "%s accuracy %.4f", prefix, accuracy);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static Path existing(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new DataException(file + ": no such file");
        }
        return p;
    }
}
