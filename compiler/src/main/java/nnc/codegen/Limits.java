package nnc.codegen;

import nnc.ir.Graph;
import nnc.ir.Node;

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
        return MemoryPlan.elements(n, maxBatch);
    }

    /** The arrays of the class generated from {@code graph}, as {@link JavaGenerator} allocates them. */
    public record Memory(long bytes, Node largest, long largestElements) {}

    /**
     * The bytes the generated class allocates ({@link MemoryPlan}: intermediate values share
     * arrays where their lifetimes allow); saturates at Long.MAX_VALUE rather than overflow.
     */
    public static Memory memory(Graph graph, int maxBatch, Precision precision, boolean vector) {
        MemoryPlan plan = MemoryPlan.of(graph, maxBatch, precision, vector);
        return new Memory(plan.bytes(), plan.largest(), plan.largestElements());
    }
}
