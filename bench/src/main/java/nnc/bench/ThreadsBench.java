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
 * The training step of the samples whose products nnc splits among threads (Fashion-MNIST's
 * first layer), with one thread and with every core, beside PyTorch's 1-thread and all-core runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ThreadsBench {
    @Param({"fashion_mlp", "fashion_dropout"})
    public String sample;

    /** {@code 1}, or {@code all}: as many as available processors. */
    @Param({"1", "all"})
    public String threads;

    private Model model;
    private Sgd sgd;
    private int n;

    @Setup
    public void setUp() throws Exception {
        System.setProperty("nnc.threads", threads.equals("all")
                ? Integer.toString(Runtime.getRuntime().availableProcessors()) : threads);
        model = Samples.model(sample, "generated");
        sgd = new Sgd(1e-6);
        n = model.maxBatch();
        if (true) {
            Samples.warmUp(() -> { model.trainStep(n); model.infer(n); });
        }
    }

    @Benchmark
    public double trainStep() {
        double loss = model.trainStep(n);
        sgd.step(model.parameters());
        return loss;
    }
}
