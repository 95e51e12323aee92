package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.runtime.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two forms of generated convolution in a SIMD class on the course's network, for 3 x 32 x 32
 * images (cnn) and 1 x 28 x 28 (fashion_cnn), at its batch of 64: direct (scalar loops over the
 * image in place, which the JIT vectorises) and im2col (the default: register-blocked SIMD matrix
 * products, on padded rows for stride 1). A training step runs conv2d, its filter gradient and its
 * input gradient; inference runs conv2d only.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar ConvBench -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConvBench {
    @Param({"cnn", "fashion_cnn"})
    public String sample;

    /** {@code direct} or {@code im2col} (the default of SIMD code). */
    @Param({"direct", "im2col"})
    public String form;

    private Model model;

    @Setup
    public void setUp() throws Exception {
        System.setProperty("nnc.convolution", form); // read when the class is generated
        try {
            model = Samples.model(sample, "generated");
        } finally {
            System.clearProperty("nnc.convolution");
        }
    }

    @Benchmark
    public double trainStep() {
        return model.trainStep(model.maxBatch());
    }

    @Benchmark
    public double infer() {
        model.infer(model.maxBatch());
        return model.outputs().get(0).get(0);
    }
}
