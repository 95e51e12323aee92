package nnc.bench;

import java.util.concurrent.TimeUnit;
import nnc.autodiff.Autodiff;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.JavaGenerator;
import nnc.codegen.Precision;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Shape;
import nnc.opt.Optimizer;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
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
 * The generated matrix product alone, in its three forms, at the shapes of the dense layers:
 * {@code forward} X W, {@code weightGrad} X^T dY, {@code inputGrad} dY W^T, for the Fashion-MNIST
 * MLP's first layer (batch 256, 784 -> 256) and the regression MLP's hidden layer (batch 128,
 * 64 -> 64). Each is a model whose {@code infer} computes just that product; one operation is
 * 2 x batch x in x out floating-point operations, which bench/run's report turns into GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBench {
    @Param({"fashion", "regression"})
    public String layer;

    @Param({"forward", "weightGrad", "inputGrad"})
    public String form;

    @Param({"simd", "scalar"})
    public String code;

    private Model model;
    private int batch;

    /** Batch, inputs and outputs of a layer. */
    static int[] dims(String layer) {
        return layer.equals("fashion") ? new int[] {256, 784, 256} : new int[] {128, 64, 64};
    }

    @Setup
    public void setUp() throws Exception {
        // One thread: the figures are held against one core's peak (PeakBench), and a product this
        // large is otherwise split among all cores (nnc.runtime.Workers). Until 2026-11-25 this was
        // missing, and Fashion-MNIST's products were measured on both cores.
        System.setProperty("nnc.threads", "1");
        int[] d = dims(layer);
        batch = d[0];
        GraphBuilder b = new GraphBuilder("Product");
        Node out;
        if (form.equals("forward")) {
            Node x = b.input("x", Shape.batched(d[1]));
            Node w = b.param("w", Shape.unbatched(d[1], d[2]), new InitSpec("normal", 0, 0.01), d[1], d[2]);
            out = b.matmul(x, w, false, false);
        } else if (form.equals("weightGrad")) {
            Node x = b.input("x", Shape.batched(d[1]));
            Node dy = b.input("dy", Shape.batched(d[2]));
            out = b.matmul(x, dy, true, false);
        } else {
            Node dy = b.input("dy", Shape.batched(d[2]));
            Node w = b.param("w", Shape.unbatched(d[1], d[2]), new InitSpec("normal", 0, 0.01), d[1], d[2]);
            out = b.matmul(dy, w, false, true);
        }
        b.output("out", out);
        b.loss(b.sum(out, Shape.scalar())); // a model needs a loss; infer does not compute it
        Graph g = Optimizer.standard().run(Autodiff.differentiate(b.build()).graph());
        String source = JavaGenerator.generate(g, new JavaGenerator.Options("nnc.bench.generated", "Product",
                Precision.FLOAT, batch, "product", code.equals("simd"))).toString();
        model = InMemoryJavac.compile("nnc.bench.generated.Product", source).newModel();
        model.initialize(0);
        for (Tensor t : model.inputs()) {
            for (int i = 0; i < t.length(); i++) {
                t.set(i, Math.sin(i));
            }
        }
        Samples.warmUp(() -> model.infer(batch));
    }

    @Benchmark
    public float product() {
        model.infer(batch);
        return (float) model.outputs().get(0).get(0);
    }
}
