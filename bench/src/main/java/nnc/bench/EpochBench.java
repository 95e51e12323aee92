package nnc.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nnc.runtime.Model;
import nnc.runtime.Rng;
import nnc.runtime.Sgd;
import nnc.runtime.data.Batches;
import nnc.runtime.data.Dataset;
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
 * One epoch of the Fashion-MNIST MLP over 60,000 samples of its shape, as the trainer runs it:
 * shuffle, then for each batch of 256 copy the samples into the model's inputs, take a training
 * step and an SGD update. On one thread and on all cores ({@code nnc.threads}); the PyTorch peer
 * times the same loop over preloaded tensors (torch_bench.py's {@code epoch} mode).
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EpochBench {
    static final int SAMPLES = 60_000;

    @Param({"fashion_mlp"})
    public String sample;

    /** {@code 1}, or {@code all}: every core. */
    @Param({"1", "all"})
    public String threads;

    private Model model;
    private Sgd sgd;
    private Batches batches;

    @Setup
    public void setUp() throws Exception {
        System.setProperty("nnc.threads", threads.equals("1") ? "1" : Integer.toString(Runtime.getRuntime().availableProcessors()));
        model = Samples.model(sample, "generated");
        sgd = new Sgd(1e-6);
        // Random pixels in [0, 1] and labels: the time of an epoch does not depend on the values.
        Random r = new Random(1);
        int width = model.inputs().get(0).sampleSize();
        double[] x = new double[SAMPLES * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble();
        }
        double[] y = new double[SAMPLES];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(10);
        }
        Map<String, Dataset.Column> columns = new LinkedHashMap<>();
        columns.put(model.inputs().get(0).name(), new Dataset.Column(new int[] {width}, x));
        columns.put(model.targets().get(0).name(), new Dataset.Column(new int[] {1}, y));
        batches = Batches.of(model, Dataset.of("random " + sample, columns), model.maxBatch(), Rng.forStream(1, "shuffle"));
    }

    @Benchmark
    public double epoch() {
        batches.shuffle();
        double sum = 0;
        for (int b = 0; b < batches.count(); b++) {
            int n = batches.load(b);
            sum += model.trainStep(n) * n;
            sgd.step(model.parameters());
        }
        return sum;
    }
}
