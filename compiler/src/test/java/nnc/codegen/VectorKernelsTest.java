package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.autodiff.Autodiff;
import nnc.interp.Differential;
import nnc.interp.InterpretedModel;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;
import nnc.opt.Optimizer;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * The SIMD templates against the interpreter, at shapes that reach every part of them: whole
 * blocks of 4 rows by 2 vectors, the one-vector and scalar column tails, between one vector of
 * columns and two (the second vector overlapping the first: 9, 10, 13 floats, 5 doubles), single rows, one column
 * (dot products), depths beyond one block, in float and double, at batch 1, 3, 5 and the maximum.
 * The random graphs of DifferentialTest are mostly narrower than a vector.
 */
class VectorKernelsTest {
    /** A layer's inputs and outputs. */
    record Layer(int in, int out) {}

    static final List<Layer> LAYERS = List.of(new Layer(1, 64), new Layer(64, 1), new Layer(37, 21), new Layer(17, 40),
            new Layer(300, 10), new Layer(9, 16), new Layer(520, 3), new Layer(12, 13), new Layer(6, 5));

    /**
     * A two-layer net over a batched input: h = op(x W1 + b1), y = h W2, a squared error against a
     * target. Its backward pass has all three forms of product (dW = X^T dY, dX = dY W^T) and the
     * elementwise and row-sum templates.
     */
    static Graph net(Layer l, Op activation, int seed) {
        GraphBuilder b = new GraphBuilder("Net" + seed);
        Node x = b.input("x", Shape.batched(l.in()));
        Node w1 = b.param("w1", Shape.unbatched(l.in(), l.out()), new InitSpec("normal", 0, 0.3), l.in(), l.out());
        Node b1 = b.param("b1", Shape.unbatched(l.out()), new InitSpec("normal", 0, 0.3), l.in(), l.out());
        Node pre = b.add(b.matmul(x, w1, false, false), b1);
        // exp(-pre^2) rather than exp(pre), so that SGD's steps stay finite
        Node h = activation == Op.EXP ? b.unary(Op.EXP, b.unary(Op.NEG, b.mul(pre, pre))) : b.unary(activation, pre);
        Node w2 = b.param("w2", Shape.unbatched(l.out(), l.in()), new InitSpec("normal", 0, 0.3), l.out(), l.in());
        Node y = b.matmul(h, w2, false, false);
        Node t = b.target("t", Shape.batched(l.in()));
        b.output("y", y);
        Node d = b.sub(y, t);
        b.loss(b.sum(b.mul(b.mul(d, d), b.constant(0.5 / l.in())), Shape.scalar()));
        return Optimizer.standard().run(Autodiff.differentiate(b.build()).graph());
    }

    @Test
    void simdCodeAgreesWithTheInterpreter() throws Exception {
        Op[] activations = {Op.SIGMOID, Op.TANH, Op.RELU, Op.EXP};
        List<String> failures = new ArrayList<>();
        for (Precision p : Precision.values()) {
            Map<String, String> sources = new LinkedHashMap<>();
            Map<String, Graph> graphs = new LinkedHashMap<>();
            for (int i = 0; i < LAYERS.size(); i++) {
                Graph g = net(LAYERS.get(i), activations[i % activations.length], i);
                String name = "nnc.simd.Net" + i + p;
                graphs.put(name, g);
                sources.put(name, JavaGenerator.generate(g, new JavaGenerator.Options("nnc.simd", "Net" + i + p, p, 11,
                        "net.nn", true)).toString());
            }
            var classes = InMemoryJavac.compileAll(sources);
            int i = 0;
            for (var e : graphs.entrySet()) {
                var generated = classes.get(e.getKey()).newModel();
                var reference = new InterpretedModel(e.getValue(), 11, p == Precision.DOUBLE);
                double tolerance = p == Precision.DOUBLE ? 1e-12 : 1e-5;
                var bad = Differential.compare(generated, reference, new int[] {1, 3, 5, 11}, 5, tolerance, 17);
                if (!bad.isEmpty()) {
                    failures.add(LAYERS.get(i) + " " + p + ": " + bad);
                }
                i++;
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * A product large enough to be split among threads (16 MFLOP at the maximum batch) in all three
     * forms: the parts together compute what the interpreter computes, and after the JIT has
     * compiled them no thread allocates, the workers included.
     */
    @Test
    void splitProductsAgreeAndAllocateNothing() throws Exception {
        Graph g = net(new Layer(500, 420), Op.RELU, 99);
        String source = JavaGenerator.generate(g, new JavaGenerator.Options("nnc.simd", "Split", Precision.FLOAT, 40,
                "net.nn", true)).toString();
        assertTrue(source.contains("Workers.shared().run("), "no product is split");
        Model m = InMemoryJavac.compile("nnc.simd.Split", source).newModel();
        var bad = Differential.compare(m, new InterpretedModel(g, 40, false), new int[] {1, 7, 40}, 2, 1e-5, 5);
        assertEquals(List.of(), bad);

        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // This thread and the workers, which exist by now.
        List<Long> ids = new ArrayList<>(List.of(Thread.currentThread().getId()));
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("nnc-worker-")) {
                ids.add(info.getThreadId());
            }
        }
        long[] watched = ids.stream().mapToLong(Long::longValue).toArray();
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < 10 && (windows.isEmpty() || windows.get(windows.size() - 1) >= 16_000); w++) {
            long before = allocated(threads, watched);
            for (int i = 0; i < 200; i++) {
                m.trainStep(40);
                m.infer(9);
            }
            windows.add(allocated(threads, watched) - before);
        }
        assertTrue(ids.size() > 1 || Runtime.getRuntime().availableProcessors() == 1, "no worker threads");
        assertTrue(windows.get(windows.size() - 1) < 16_000, "bytes allocated by each window of 400 calls: " + windows);
    }

    /**
     * Products whose right operand's rows are 128 or 256 floats apart copy its slices into panels
     * ({@code VectorKernels}): in all three forms, with a depth of one step and of two uneven ones
     * (300 as 2 x 150), with a ReLU epilogue, split among threads (each part its own panel), and at
     * batches below {@code PANEL_ROWS}, which skip the copy at run time. Float and double.
     */
    @Test
    void productsThroughPanelsAgreeWithTheInterpreter() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (Layer l : List.of(new Layer(256, 128), new Layer(300, 128), new Layer(512, 256))) {
                Graph g = net(l, Op.RELU, l.in());
                String name = "Panels" + l.in() + p;
                String source = JavaGenerator.generate(g, new JavaGenerator.Options("nnc.simd", name, p, 70, "net.nn", true))
                        .toString();
                assertTrue(source.contains("intoArray(panel, "), name + " copies nothing into a panel");
                assertTrue(source.contains("matmul(aT, b)") && source.contains("matmul(a, bT)"), name + " lacks a form");
                if (l.in() == 512) {
                    assertTrue(source.contains("panels[part]"), name + " has no split product with panels");
                }
                Model m = InMemoryJavac.compile("nnc.simd." + name, source).newModel();
                var reference = new InterpretedModel(g, 70, p == Precision.DOUBLE);
                double tolerance = p == Precision.DOUBLE ? 1e-12 : 1e-5;
                var bad = Differential.compare(m, reference, new int[] {1, 11, 12, 13, 70}, 3, tolerance, 23);
                if (!bad.isEmpty()) {
                    failures.add(l + " " + p + ": " + bad);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Bytes allocated so far by the threads. */
    private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
