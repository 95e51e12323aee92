package nnc.codegen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Shape;

/**
 * What a generated class can hold: its buffers must fit the memory budget and Java's arrays,
 * its operations one class file. Checked before generating, so that a model too large for the
 * JVM gets a diagnostic instead of an overflowing array size or javac's "code too large".
 */
public final class Limits {
    private Limits() {}

    /**
     * Operations (graph nodes) a generated class may hold. Every node becomes a field and a method,
     * each several constant-pool entries (a class file has at most 65,535), a call in
     * {@code trainStep} and about 8 bytes of the constructor's code (a method's code is at most
     * 64 KiB). {@code LimitsTest} compiles a model near both limits with javac.
     */
    public static final int MAX_OPERATIONS = 4000;

    /** Parameter tensors a generated class may hold: each takes about 60 bytes of the constructor's code. */
    public static final int MAX_PARAMETERS = 400;

    /** The largest Java array, in elements (the JVM refuses a few less than Integer.MAX_VALUE). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The default budget for a class's buffers, in bytes (2 GiB). */
    public static final long DEFAULT_MEMORY_BUDGET = 2L << 30;

    /** The buffer a generated class allocates for {@code n}, in elements: a batched one holds {@code maxBatch} samples. */
    public static long elements(Node n, int maxBatch) {
        // In long arithmetic: a layer's weights may have more elements than an int counts.
        Shape s = n.shape();
        long size = 1;
        for (int d : s.dims()) {
            size = saturatingMultiply(size, d);
        }
        return s.batched() ? saturatingMultiply(maxBatch, size) : size;
    }

    /** The buffers of the class generated from {@code graph}, as {@link JavaGenerator} allocates them. */
    public record Memory(long bytes, Node largest, long largestElements) {}

    /**
     * Every buffer of the generated class: each parameter and its gradient, each input and
     * target, and one per computed value. (An upper bound if buffers are ever shared.) Saturates
     * at Long.MAX_VALUE rather than overflow.
     */
    public static Memory memory(Graph graph, int maxBatch, Precision precision) {
        int width = precision == Precision.FLOAT ? Float.BYTES : Double.BYTES;
        // A gradient computed only by the backward pass is written straight into its parameter's
        // gradient array, as JavaGenerator does, and needs no buffer of its own.
        List<Node> forwardRoots = new ArrayList<>(graph.outputs().values());
        if (graph.loss() != null) {
            forwardRoots.add(graph.loss());
        }
        Set<Node> forward = new HashSet<>(graph.schedule(forwardRoots));
        Set<Node> inGradientArrays = new HashSet<>();
        for (Node p : graph.params()) {
            Node g = graph.gradients().get(p.name());
            if (g != null && !g.inputs().isEmpty() && !forward.contains(g)) {
                inGradientArrays.add(g);
            }
        }
        Set<Node> params = new HashSet<>(graph.params());
        // A node fused into its consumer's loop is a local there, not a buffer (JavaGenerator).
        Set<Node> fused = Fusion.inlined(graph);
        long total = 0;
        Node largest = null;
        long largestElements = -1;
        for (Node n : graph.nodes()) {
            boolean param = params.contains(n);
            boolean leaf = n.inputs().isEmpty();
            if (leaf && !param && !graph.inputs().contains(n) && !graph.targets().contains(n)) {
                continue; // constants and the batch size are literals in the code, not buffers
            }
            if (inGradientArrays.contains(n) || fused.contains(n)) {
                continue;
            }
            long elements = elements(n, maxBatch);
            total = saturatingAdd(total, saturatingMultiply(elements, param ? 2L * width : width));
            if (elements > largestElements) {
                largest = n;
                largestElements = elements;
            }
        }
        return new Memory(total, largest, largestElements);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatingMultiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
