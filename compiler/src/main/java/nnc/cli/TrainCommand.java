package nnc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.Limits;
import nnc.codegen.Precision;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.InterpretedModel;
import nnc.interp.NonFinite;
import nnc.plot.TrainingPlots;
import nnc.runtime.Checkpoint;
import nnc.runtime.CheckpointException;
import nnc.runtime.ErrorCode;
import nnc.runtime.History;
import nnc.runtime.Model;
import nnc.runtime.NonFiniteException;
import nnc.runtime.Optimizer;
import nnc.runtime.Optimizers;
import nnc.runtime.Schedule;
import nnc.runtime.Schedules;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Csv;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Generators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nnc train}: compiles a model in memory and trains it. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpWidth = Main.WIDTH,
        header = "Compile a model in memory and train it.",
        synopsisHeading = "%nUsage: ", customSynopsis = "nnc train MODEL.nn --data DATA [options]",
        descriptionHeading = "%n",
        description = {
            "Compiles MODEL.nn in memory, trains it with the settings of its train { } block, prints one line per "
                    + "epoch, then the final training and validation loss and the wall time. For a classifier (a "
                    + "target class(K) and an output of K scores) it prints the accuracy too.",
        },
        parameterListHeading = "%n", optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Built-in data: fashion-mnist has 60,000 training images, x of [784] pixels in [0, 1] and y the",
            "  class 0..9; its validation set is the course's 10,000 test images; fashion-mnist-images has",
            "  x of [1, 28, 28]; both need: apt-get install dataset-fashion-mnist. docs/cli.md describes",
            "  the others.",
            "",
            "--json prints one JSON object per line instead of text:",
            "  {\"event\":\"start\", \"model\", \"parameters\", \"precision\", \"train_samples\",",
            "   \"validation_samples\", \"epochs\", \"batch\", \"optimizer\", \"lr\", \"schedule\",",
            "   \"seed\"}",
            "  {\"event\":\"epoch\", \"epoch\", \"epochs\", \"train_loss\", \"validation_loss\",",
            "   \"train_accuracy\", \"validation_accuracy\", \"learning_rate\", \"seconds\"}",
            "  {\"event\":\"end\", \"initial_train_loss\", \"train_loss\", \"validation_loss\",",
            "   \"train_accuracy\", \"validation_accuracy\", \"epochs\", \"seconds\"}",
            "  (a loss without data is null; so is an accuracy, and for a model that is not a classifier;",
            "  accuracy is the share of samples whose highest score is their class)",
            "  With --resume, the start event has \"resumed_from_epoch\" too: the epochs done before.",
            "",
            "Examples:",
            "  nnc train samples/src/main/nn/regression.nn --data builtin:regression --every 100",
            "  nnc train model.nn --data train.csv --validation val.csv --epochs 20 --batch 64",
            "  nnc train model.nn --data builtin:fashion-mnist --optimizer 'adam(lr: 0.001, beta2: 0.99)'",
            "  nnc train model.nn --data builtin:xor --lr 0.5 --json",
            "  nnc train model.nn --data train.csv --epochs 20 --save run.ckpt     (stopped after epoch 12, then:)",
            "  nnc train model.nn --data train.csv --epochs 20 --save run.ckpt --resume run.ckpt  (13 to 20)",
            "  nnc train samples/src/main/nn/regression.nn --data builtin:regression --plots plots",
            "  nnc train model.nn --data builtin:regression --schedule 'cosine(t_max: 100)' --warmup 5 --history h.csv",
        })
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model to train")
    String file;

    @Option(names = "--data", required = true, paramLabel = "DATA", completionCandidates = BuiltinNames.class, description = {
        "the training data (required): FILE.csv, with a header row naming the model's inputs and targets "
                + "(a tensor x of k > 1 values is columns x[0] .. x[k-1]), or builtin:NAME, a built-in data set: "
                + "${COMPLETION-CANDIDATES}"})
    String data;

    @Option(names = "--validation", paramLabel = "FILE.csv", description = "validation data for --data FILE.csv")
    String validationFile;

    @Option(names = "--epochs", paramLabel = "N", description = "number of passes over the data (overrides the file)")
    Integer epochsOption;

    @Option(names = "--batch", paramLabel = "N", description = "samples per step (overrides the file)")
    Integer batchOption;

    @Option(names = "--optimizer", paramLabel = "OPT", completionCandidates = OptimizerNames.class, description = {
        "the optimiser, as in a train block, replacing the file's: sgd(lr: 0.1, momentum: 0.9), "
                + "adam(lr: 0.001, beta2: 0.99), ... (${COMPLETION-CANDIDATES}); arguments left out take PyTorch's defaults"})
    String optimizerOption;

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (overrides the file's or --optimizer's rate only)")
    Double lrOption;

    @Option(names = "--schedule", paramLabel = "SCHEDULE", completionCandidates = ScheduleNames.class, description = {
        "the learning-rate schedule, as in a train block, replacing the file's: step(step_size: 10, gamma: 0.5), "
                + "exponential(gamma: 0.95), cosine(t_max: 50, eta_min: 0), lambda(0.95 ^ epoch), multiplicative(0.99), "
                + "constant (${COMPLETION-CANDIDATES}); epoch counts from 0"})
    String scheduleOption;

    @Option(names = "--warmup", paramLabel = "N", description = "epochs of linear warm-up before the schedule, replacing the file's")
    Integer warmupOption;

    @Option(names = "--seed", paramLabel = "N", description = "seed for initialisation, shuffling and built-in data")
    Long seedOption;

    @Option(names = "--shuffle", description = "shuffle the training data every epoch")
    boolean shuffleOption;

    @Option(names = "--every", paramLabel = "N", description = "print every N-th epoch, and the first and the last (default 1: every epoch)")
    int every = 1;

    @Option(names = "--history", paramLabel = "FILE.csv", description = "write every epoch's epoch, train_loss, validation_loss, "
            + "train_accuracy, validation_accuracy, learning_rate and seconds to FILE.csv, rewritten after each epoch")
    Path historyFile;

    @Option(names = "--save", paramLabel = "FILE.ckpt", description = "write a checkpoint at the end of every epoch, atomically: "
            + "parameters, optimiser state, the epoch, every random generator (docs/checkpoints.md)")
    Path save;

    @Option(names = "--resume", paramLabel = "FILE.ckpt", description = "continue the run that saved FILE.ckpt after its last "
            + "epoch, up to --epochs in all, with the losses it would have had without stopping; give the same settings")
    Path resume;

    @Option(names = "--plots", paramLabel = "DIR", description = "after training, draw DIR/loss, DIR/accuracy (classifiers) and "
            + "DIR/function (one number to one number), each as .png and .svg")
    Path plotsDir;

    @Option(names = "--json", description = "print one JSON object per line instead of text (below)")
    boolean json;

    @Option(names = "--double", description = "compute in double precision (default: float)")
    boolean dbl;

    @Option(names = "--scalar", description = "generate plain scalar loops instead of SIMD code (slower; for comparison)")
    boolean scalar;

    @Option(names = "--interpret", description = "run the graph with nnc's interpreter instead of generated code "
            + "(slower; the reference generated code is tested against)")
    boolean interpret;

    @Option(names = "--dump-ir", description = "print the IR graph before and after optimisation")
    boolean dumpIr;

    @Option(names = "--memory-budget", paramLabel = "BYTES", description = "refuse a model whose buffers need more "
            + "(default: 2147483648, 2 GiB)")
    Long memoryBudget;

    /** The built-in data sets' names, for the help text. */
    static final class BuiltinNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Generators.builtinNames().iterator();
        }
    }

    /** The optimisers' names, for the help text. */
    static final class OptimizerNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Optimizers.names().iterator();
        }
    }

    /** The schedules' names, for the help text. */
    static final class ScheduleNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Schedules.names().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintStream out = main.out();
        PrintStream err = main.err();
        atLeast("--epochs", epochsOption, 0);
        atLeast("--batch", batchOption, 1);
        atLeast("--every", every, 1);
        atLeast("--warmup", warmupOption, 0);
        if (memoryBudget != null && memoryBudget < 1) {
            throw Main.usage(spec, "--memory-budget must be at least 1 byte, not " + memoryBudget);
        }
        if (lrOption != null && (!(lrOption > 0) || Double.isInfinite(lrOption))) {
            throw Main.usage(spec, "--lr must be a positive number, not " + lrOption);
        }
        Map.Entry<String, Map<String, Double>> optimizerChoice =
                optimizerOption == null ? null : SettingOptions.optimizer(spec, "--optimizer", optimizerOption);
        Schedule scheduleChoice = scheduleOption == null ? null : SettingOptions.schedule(spec, "--schedule", scheduleOption);

        Source source = Sources.read(file, err);
        if (source == null) {
            return Main.NO_INPUT;
        }
        Checkpoint resumed = null;
        if (resume != null) {
            try {
                resumed = Checkpoint.read(resume);
            } catch (CheckpointException e) {
                return failed(e, err);
            }
        }
        Reporter reporter = new Reporter(err);
        // Compile once to learn the file's settings; the batch decides the buffers' size.
        Compiler.Options options = Compiler.Options.defaults()
                .withPackage("nnc.generated")
                .withPrecision(dbl ? Precision.DOUBLE : Precision.FLOAT)
                .withMaxBatch(batchOption)
                .withVector(scalar ? Boolean.FALSE : null)
                .withMemoryBudget(memoryBudget != null ? memoryBudget : Limits.DEFAULT_MEMORY_BUDGET);
        Compiler.Result compiled = Compiler.compile(source, options, reporter);
        if (compiled == null) {
            return Main.DATA_ERROR;
        }
        var settings = compiled.model().train();
        int batch = batchOption != null ? batchOption : compiled.maxBatch();
        int epochs = epochsOption != null ? epochsOption : settings.epochs();
        // The file's optimiser unless --optimizer replaces it; --lr replaces the rate alone.
        Map<String, Double> optimizerArgs = new LinkedHashMap<>(optimizerChoice != null ? optimizerChoice.getValue() : settings.optimizerArguments());
        if (lrOption != null) {
            optimizerArgs.put("lr", lrOption);
        }
        Optimizer optimizer = Optimizers.create(optimizerChoice != null ? optimizerChoice.getKey() : settings.optimizer(), optimizerArgs);
        Schedule schedule = scheduleChoice != null ? scheduleChoice : settings.schedule();
        int warmup = warmupOption != null ? warmupOption : settings.warmup();
        if (schedule != null || warmup > 0) {
            schedule = Schedules.withWarmup(schedule != null ? schedule : new Schedules.Constant(), warmup);
            try {
                Schedules.checkedRates(schedule, optimizer.learningRate(), epochs);
            } catch (IllegalArgumentException e) {
                if (scheduleChoice != null) {
                    throw Main.usage(spec, Code.E323, "--schedule '" + scheduleOption + "': " + e.getMessage());
                }
                err.println(Main.error(source.path(), Code.E323, e.getMessage()));
                return Main.DATA_ERROR;
            }
        }
        long seed = seedOption != null ? seedOption : settings.seed();
        boolean shuffle = shuffleOption || settings.shuffle();
        if (dumpIr) {
            out.print(nnc.ir.IrPrinter.print(compiled.differentiated()));
            out.print(nnc.ir.IrPrinter.print(compiled.optimized()));
        }

        Model model;
        if (interpret) {
            model = new InterpretedModel(compiled.optimized(), compiled.maxBatch(), dbl);
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
            if (data.startsWith("builtin:")) {
                Generators.Split split = Generators.builtin(data.substring("builtin:".length()), seed);
                train = split.train();
                validation = split.validation();
            } else {
                train = Csv.read(existing(data), Csv.columns(model));
                validation = validationFile != null ? Csv.read(existing(validationFile), Csv.columns(model)) : null;
            }
        } catch (DataException e) {
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        }

        model.initialize(seed);
        // The schedule's base is the rate the optimiser starts with, not the one a checkpoint restores.
        Trainer trainer = new Trainer(new Trainer.Config(epochs, batch, shuffle, seed)).saveTo(save)
                .schedule(schedule, optimizer.learningRate())
                .explainNonFinite(new NonFinite(compiled.optimized()));
        History history = new History();
        if (resumed != null) {
            try {
                // Checked now, before any output; the trainer restores the rest when it starts.
                resumed.restore(model);
                resumed.restore(optimizer, model);
            } catch (CheckpointException e) {
                return failed(e, err);
            }
            trainer.resumeFrom(resumed);
            if (historyFile != null && Files.exists(historyFile)) {
                // The epochs before the checkpoint stay in the history; later ones the stopped run wrote are redone.
                try {
                    for (Trainer.EpochResult r : History.readCsv(historyFile).rows()) {
                        if (r.epoch() <= resumed.epoch()) {
                            history.add(r);
                        }
                    }
                } catch (DataException e) {
                    err.println(e.getMessage());
                    return Main.DATA_ERROR;
                }
            }
        }
        if (historyFile != null && !writeHistory(history, err)) {
            return Main.NO_INPUT; // before training: a file that cannot be written should not cost a run
        }
        if (plotsDir != null) {
            try {
                Files.createDirectories(plotsDir); // likewise for the plots' folder
            } catch (IOException e) {
                err.println(Main.error(plotsDir, Code.E822, "cannot write the plots: " + Sources.reason(e)));
                return Main.NO_INPUT;
            }
        }
        TrainReport report = new TrainReport(out, json, every, schedule != null);
        report.start(model, train, validation, trainer.config(), optimizer, schedule, resumed == null ? null : resume,
                resumed == null ? 0 : resumed.epoch());
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpoch(Trainer.EpochResult r) {
                history.add(r); // for the history file and the plots
                if (historyFile != null && !writeHistory(history, err)) {
                    throw new HistoryFailed();
                }
            }
        };
        // A bar only for a person watching: not into a file or a pipe, not between JSON lines.
        TrainingListener progress = !json && System.console() != null ? new ProgressBar(out, System::nanoTime, Terminal.columns())
                : new TrainingListener() {};
        TrainingListener listener = historyFile != null || plotsDir != null ? TrainingListener.all(recorder, progress, report)
                : TrainingListener.all(progress, report);
        Trainer.Summary s;
        try {
            s = trainer.train(model, optimizer, train, validation, listener);
        } catch (CheckpointException e) {
            return failed(e, err);
        } catch (DataException e) {
            progress.onEnd(null);
            err.println(e.getMessage());
            return Main.DATA_ERROR;
        } catch (NonFiniteException e) {
            progress.onEnd(null);
            err.println(Main.error(source.path(), e.code(), e.getMessage()));
            return Main.DATA_ERROR;
        } catch (HistoryFailed e) {
            progress.onEnd(null);
            return Main.NO_INPUT;
        }
        report.end(s);
        if (plotsDir != null) {
            try {
                List<Path> files = TrainingPlots.write(plotsDir, model, history.rows(), train, validation,
                        data.startsWith("builtin:") ? Generators.trueFunction(data.substring("builtin:".length())).orElse(null) : null);
                if (!json) {
                    out.println("plots: " + files.stream().map(Path::toString).collect(Collectors.joining(", ")));
                }
            } catch (IOException e) {
                err.println(Main.error(plotsDir, Code.E822, "cannot write the plots: " + Sources.reason(e)));
                return Main.NO_INPUT;
            }
        }
        return Main.OK;
    }

    /** Rewrites the history file (atomically); false after saying why it cannot. */
    private boolean writeHistory(History history, PrintStream err) {
        try {
            history.writeCsv(historyFile);
            return true;
        } catch (IOException e) {
            err.println(Main.error(historyFile, Code.E822, "cannot write the history: " + Sources.reason(e)));
            return false;
        }
    }

    /** Stops training when the history cannot be written; the reason is already printed. */
    private static final class HistoryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HistoryFailed() {
            super(null, null, false, false);
        }
    }

    /** A checkpoint that cannot be read or written (66), or whose content is wrong or does not fit (65). */
    static int failed(CheckpointException e, PrintStream err) {
        err.println(e.getMessage());
        return e.inaccessible() ? Main.NO_INPUT : Main.DATA_ERROR;
    }

    private void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw Main.usage(spec, option + " must be at least " + min + ", not " + value);
        }
    }

    private static Path existing(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw DataException.in(ErrorCode.E501, file, "no such file");
        }
        return p;
    }
}
