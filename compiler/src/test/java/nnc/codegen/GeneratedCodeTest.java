package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import nnc.autodiff.Autodiff;
import nnc.interp.Interpreter;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Origin;
import nnc.ir.Shape;
import nnc.opt.Optimizer;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Tensor;
import org.junit.jupiter.api.Test;

/** Generated classes compile without warnings and compute what the interpreter computes. */
class GeneratedCodeTest {

    /** The course's regression MLP (1-64-64-1, sigmoid), built directly in IR. */
    static Graph regression() {
        GraphBuilder b = new GraphBuilder("Regression");
        Node x = b.at(new Origin("regression.nn", 2, 3, "input x: [1]")).input("x", Shape.batched(1));
        Node y = b.at(new Origin("regression.nn", 3, 3, "target y: [1]")).target("y", Shape.batched(1));
        Node h = x;
        int width = 1;
        String[] names = {"h1", "h2", "out"};
        for (int layer = 0; layer < 3; layer++) {
            int units = layer < 2 ? 64 : 1;
            String name = names[layer];
            b.at(new Origin("regression.nn", 5 + layer, 3, name + " = dense(...)"));
            Node w = b.param(name + ".weight", Shape.unbatched(width, units), new InitSpec("normal", 0, 1), width, units);
            Node bias = b.param(name + ".bias", Shape.unbatched(units), new InitSpec("constant", 0.03), width, units);
            h = b.add(b.matmul(h, w, false, false), bias);
            if (layer < 2) {
                h = b.unary(Op.SIGMOID, h);
            }
            h = b.label(h, name);
            width = units;
        }
        b.output("out", h);
        b.at(new Origin("regression.nn", 8, 3, "loss mse(out, y)"));
        Node d = b.sub(h, y);
        Node mean = b.div(b.mul(b.sum(b.pow(d, 2), Shape.scalar()), b.constant(1)), b.batchSize());
        b.loss(mean);
        return b.build();
    }

    static Graph compiled(Graph forward) {
        return Optimizer.standard().run(Autodiff.differentiate(forward).graph());
    }

    static InMemoryJavac.Compiled compile(Graph g, Precision p, int maxBatch) throws Exception {
        String source = JavaGenerator.generate(g, new JavaGenerator.Options("nnc.test", "Regression", p, maxBatch,
                "regression.nn")).toString();
        return InMemoryJavac.compile("nnc.test.Regression", source);
    }

    @Test
    void generatedSourceCompilesWithoutWarnings() throws Exception {
        for (Precision p : Precision.values()) {
            for (boolean vector : new boolean[] {false, true}) {
                String source = JavaGenerator.generate(compiled(regression()), new JavaGenerator.Options("nnc.test", "Regression",
                        p, 16, "regression.nn", vector)).toString();
                assertEquals(List.of(), InMemoryJavac.compile("nnc.test.Regression", source).warnings());
            }
        }
    }

    /**
     * After construction a generated class allocates nothing: bytes allocated by this thread over
     * many training steps, counted by the JVM, must not grow with the number of steps. SIMD code
     * allocates a vector per operation until the JIT has compiled it, so windows of 30,000 calls are
     * counted until one allocates nothing (the JIT is done) or ten have passed (then it fails).
     */
    @Test
    void trainingStepsAllocateNothing() throws Exception {
        for (boolean vector : new boolean[] {false, true}) {
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            String source = JavaGenerator.generate(compiled(regression()), new JavaGenerator.Options("nnc.test", "Regression",
                    Precision.FLOAT, 32, "regression.nn", vector)).toString();
            Model m = InMemoryJavac.compile("nnc.test.Regression", source).newModel();
            m.initialize(1);
            long id = Thread.currentThread().getId();
            List<Long> windows = new java.util.ArrayList<>();
            for (int w = 0; w < 10 && (windows.isEmpty() || windows.get(windows.size() - 1) >= 16_000); w++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10_000; i++) {
                    m.trainStep(32);
                    m.infer(17);
                    m.loss(5);
                }
                windows.add(threads.getThreadAllocatedBytes(id) - before);
            }
            // A single allocation per call would be at least 16 bytes * 30,000 calls.
            assertTrue(windows.get(windows.size() - 1) < 16_000,
                    (vector ? "SIMD" : "scalar") + " code: bytes allocated by each window of 30,000 calls: " + windows);
        }
    }

    @Test
    void generatedDoubleCodeAgreesWithTheInterpreter() throws Exception {
        Graph g = compiled(regression());
        Model m = compile(g, Precision.DOUBLE, 16).newModel();
        m.initialize(7);
        Interpreter in = new Interpreter(g, 16);
        for (Parameter p : m.parameters()) {
            double[] v = in.leaf(p.name());
            for (int i = 0; i < v.length; i++) {
                v[i] = p.value().get(i);
            }
        }
        Random r = new Random(3);
        int n = 11; // a partial batch
        for (Tensor t : List.of(m.inputs().get(0), m.targets().get(0))) {
            double[] v = in.leaf(t.name());
            for (int i = 0; i < n; i++) {
                v[i] = r.nextGaussian();
                t.set(i, v[i]);
            }
        }
        double loss = m.trainStep(n);
        double expected = in.trainStep(n);
        assertEquals(expected, loss, 1e-12 * Math.abs(expected));
        for (Parameter p : m.parameters()) {
            double[] g2 = in.gradient(p.name());
            for (int i = 0; i < g2.length; i++) {
                double err = Math.abs(g2[i] - p.grad().get(i)) / Math.max(1e-12, Math.abs(g2[i]));
                assertTrue(err < 1e-12 || Math.abs(g2[i] - p.grad().get(i)) < 1e-15,
                        p.name() + "[" + i + "]: " + p.grad().get(i) + " vs " + g2[i]);
            }
        }
    }

    /** A small network of every image function, with batch normalisation's two modes. */
    static final String CNN = """
            model SmallCnn {
              input x: [2, 10, 10]
              target y: class(3)
              init weights he_normal, biases zeros
              c1 = relu(conv2d(x, 4, 3, padding: 1))
              p1 = maxpool2d(c1, 2)
              n1 = batchnorm(p1)
              c2 = relu(conv2d(n1, 4, 3, stride: 2, padding: 1, bias: false))
              a2 = avgpool2d(c2, 2, stride: 1)
              output out = dense(batchnorm(flatten(a2)), 3)
              loss cross_entropy(out, y)
            }
            """;

    /** The convolutional training step, and inference with running statistics, allocate nothing either. */
    @Test
    void convolutionalTrainingStepsAllocateNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        nnc.diag.Reporter reporter = new nnc.diag.Reporter(null);
        var r = nnc.Compiler.compile(new nnc.diag.Source("cnn.nn", CNN), nnc.Compiler.Options.defaults().withMaxBatch(8), reporter);
        assertTrue(r != null, () -> reporter.diagnostics().toString());
        Model m = r.load().newModel();
        m.initialize(1);
        Random random = new Random(2);
        for (int i = 0; i < m.inputs().get(0).length(); i++) {
            m.inputs().get(0).set(i, random.nextDouble());
        }
        for (int i = 0; i < 8; i++) {
            m.targets().get(0).set(i, random.nextInt(3));
        }
        long id = Thread.currentThread().getId();
        // Windows of 9,000 calls until one allocates nothing (the JIT is done) or ten have passed.
        List<Long> windows = new java.util.ArrayList<>();
        for (int w = 0; w < 10 && (windows.isEmpty() || windows.get(windows.size() - 1) >= 16_000); w++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 3_000; i++) {
                m.trainStep(8);
                m.infer(5);
                m.loss(3);
            }
            windows.add(threads.getThreadAllocatedBytes(id) - before);
        }
        assertTrue(windows.get(windows.size() - 1) < 16_000, "bytes allocated by each window of 9,000 calls: " + windows);
        assertEquals(4, m.buffers().size(), "running mean and variance of two batchnorms");
    }

    /**
     * Every form of the convolution (direct, the default of scalar code, in scalar and in SIMD code;
     * im2col in scalar code; im2col in SIMD code, matrix products, its default) agrees with the
     * interpreter in double precision: to 1e-12 in double, and in float to the tolerance of the
     * differential tests, or where float arithmetic cannot reach that, at least as close as the
     * interpreter computing in float. Float code is held against the exact mathematics, not against
     * the float interpreter: that one's own error on c1.bias after 5 steps is 1.1e-5 here (a sum that
     * batch normalisation makes cancel); the products, summing in another order with fused
     * multiply-adds, were 6.2e-6 from the exact value, which a float-to-float comparison counted twice.
     */
    @Test
    void everyConvolutionFormAgreesWithTheInterpreter() throws Exception {
        // The form's system property, whether the class is SIMD code, and the comment its convolutions start with.
        String[][] forms = {{"direct", "true", "// direct, on padded rows"}, {"direct", "false", "// direct, on padded rows"},
            {"im2col", "false", "// im2col"}, {"im2col", "true", "// each sample padded"}};
        for (String[] f : forms) {
            String form = f[0] + (f[1].equals("true") ? " in SIMD code" : " in scalar code");
            for (Precision p : Precision.values()) {
                System.setProperty("nnc.convolution", f[0]);
                nnc.Compiler.Result r;
                try {
                    r = nnc.Compiler.compile(new nnc.diag.Source("cnn.nn", CNN),
                            nnc.Compiler.Options.defaults().withMaxBatch(5).withPrecision(p).withVector(f[1].equals("true")),
                            new nnc.diag.Reporter(null));
                } finally {
                    System.clearProperty("nnc.convolution");
                }
                assertTrue(r.javaSource().contains(f[2]), form);
                Model generated = r.load().newModel();
                Model exact = new nnc.interp.InterpretedModel(r.optimized(), 5, true);
                int[] batches = {1, 3, 5};
                var bad = p == Precision.DOUBLE ? nnc.interp.Differential.compare(generated, exact, batches, 5, 1e-12, 7)
                        : nnc.interp.Differential.compareInFloat(generated,
                                new nnc.interp.InterpretedModel(r.optimized(), 5, false), exact, batches, 5, 1e-5, 7);
                assertEquals(List.of(), bad, form + " " + p);
            }
        }
    }
}
