package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.runtime.Model;
import nnc.runtime.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step (forward, backward and the SGD update, as PyTorch's loop does) and one
 * inference, of every sample, generated and interpreted, at batch 1 and the sample's own batch.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StepBench {
    @Param({"regression", "toy", "fashion_mlp", "fashion_dropout", "weight_decay", "deep_relu", "dead_units",
        "backprop_by_hand", "xor", "logistic", "cnn", "fashion_cnn"})
    public String sample;

    /** {@code generated}: SIMD code, as nnc generates by default; {@code scalar}: with --scalar. */
    @Param({"generated", "scalar", "interpreted"})
    public String engine;

    /** {@code 1}, or {@code own}: the batch of the sample's train block. */
    @Param({"1", "own"})
    public String batch;

    private Model model;
    private Sgd sgd;
    private int n;

    @Setup
    public void setUp() throws Exception {
        // One thread, as PyTorch's 1-thread column; ThreadsBench measures all cores. Read on first use.
        System.setProperty("nnc.threads", "1");
        model = Samples.model(sample, engine);
        sgd = new Sgd(1e-6); // small: the parameters stay where they are over millions of steps
        n = batch.equals("own") ? model.maxBatch() : 1;
        if (!engine.equals("interpreted")) {
            Samples.warmUp(() -> { model.trainStep(n); model.infer(n); });
        }
    }

    @Benchmark
    public double trainStep() {
        double loss = model.trainStep(n);
        sgd.step(model.parameters());
        return loss;
    }

    @Benchmark
    public double infer() {
        model.infer(n);
        return model.outputs().get(0).get(0);
    }
}
