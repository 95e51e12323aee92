package nnc.codegen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * Where each array of a generated class lives. Parameters, their gradients, running statistics,
 * inputs, targets and outputs are the model's interface and get an array each. Every other value
 * is private to one pass: it is written by its node and last read by its last consumer, in the
 * order of {@link Graph#nodes()} that every entry point follows ({@link Graph#schedule}). Values
 * whose lifetimes do not overlap share one array, assigned greedily in that order (best fit among
 * the free arrays, else the largest free one grown, else a new one); an elementwise loop writes
 * over an operand of its shape that it reads for the last time. The plan is what the class
 * allocates and what the memory budget is checked against.
 */
public final class MemoryPlan {
    /** What an array holds, for {@code nnc compile --stats}. */
    public enum Role {
        PARAMETER("parameters and gradients"),
        STATE("running statistics"),
        INPUT("inputs and targets"),
        OUTPUT("outputs"),
        VALUE("intermediate values"),
        SCRATCH("scratch of products and convolutions");

        private final String description;

        Role(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Graph graph;
    private final int width;
    private final Map<Node, Integer> storageOf = new IdentityHashMap<>();
    private final List<Long> storage = new ArrayList<>();
    private final List<List<Node>> sharers = new ArrayList<>();
    private final Map<Role, long[]> naive = new LinkedHashMap<>();
    private final Map<Role, long[]> planned = new LinkedHashMap<>();
    private Node largest;
    private long largestElements = -1;

    private MemoryPlan(Graph graph, int width) {
        this.graph = graph;
        this.width = width;
        for (Role r : Role.values()) {
            naive.put(r, new long[2]);   // {arrays, elements}
            planned.put(r, new long[2]);
        }
    }

    /**
     * The plan of the class generated from {@code graph} for batches of up to {@code maxBatch};
     * {@code vector} for SIMD code, whose products of the form A Bᵀ need a scratch array, and wide
     * products panels.
     */
    public static MemoryPlan of(Graph graph, int maxBatch, Precision precision, boolean vector) {
        return of(graph, maxBatch, precision, vector, Fusion.plan(graph, vector, maxBatch));
    }

    /** The plan for a class whose fusion is already decided ({@link JavaGenerator} has it). */
    static MemoryPlan of(Graph graph, int maxBatch, Precision precision, boolean vector, Fusion.Plan fusion) {
        MemoryPlan plan = new MemoryPlan(graph, precision == Precision.FLOAT ? Float.BYTES : Double.BYTES);
        plan.build(maxBatch, precision, vector, fusion);
        return plan;
    }

    private void build(int maxBatch, Precision precision, boolean vector, Fusion.Plan fusion) {
        for (Node p : graph.params()) {
            add(Role.PARAMETER, p, elements(p, maxBatch));
            count(naive, Role.PARAMETER, elements(p, maxBatch)); // and its gradient
            count(planned, Role.PARAMETER, elements(p, maxBatch));
        }
        for (Node s : graph.states()) {
            add(Role.STATE, s, elements(s, maxBatch));
        }
        for (Node in : graph.inputs()) {
            add(Role.INPUT, in, elements(in, maxBatch));
        }
        for (Node t : graph.targets()) {
            add(Role.INPUT, t, elements(t, maxBatch));
        }
        Set<Node> inGradientArrays = inGradientArrays(graph);
        Map<Node, Fusion.Epilogue> epilogues = fusion.epilogues();
        Set<Node> fused = fusion.computedElsewhere();
        Set<Node> pinned = identitySet();
        pinned.addAll(graph.gradients().values()); // copied into the gradient arrays after the pass
        if (graph.loss() != null) {
            pinned.add(graph.loss()); // returned after the pass
        }
        Set<Node> outputs = identitySet();
        outputs.addAll(graph.outputs().values());

        // Last use of each value: its consumer's position, a fused consumer's loop standing for it.
        Map<Node, Integer> position = graph.positions();
        Map<Node, Integer> lastUse = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            if (!n.inputs().isEmpty() && !fused.contains(n)) {
                for (Node in : operands(n, fused)) {
                    lastUse.merge(in, position.get(n), Math::max);
                }
            }
        }

        Kernels kernels = new Kernels(precision, new IdentityHashMap<>(),
                vector ? new VectorKernels(precision, new IdentityHashMap<>(), maxBatch) : null, fused);
        long[] scratch = {0, 0, 0, 0};
        PriorityQueue<Node> live = new PriorityQueue<>((a, b) -> Integer.compare(lastUse.get(a), lastUse.get(b)));
        List<Integer> free = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.inputs().isEmpty() || fused.contains(n)) {
                continue; // leaves are counted above; fused values have no loop of their own
            }
            // Scratch of one thread, also for the products computed straight into a gradient array
            // (a weight's X^T dY and its panels).
            int[] needs = kernels.scratch(n);
            scratch[0] = Math.max(scratch[0], needs[0]);
            scratch[1] = Math.max(scratch[1], needs[1]);
            if (vector) {
                scratch[2] = Math.max(scratch[2], VectorKernels.transposedElements(n));
                scratch[3] = Math.max(scratch[3], VectorKernels.panelElements(n, maxBatch));
            }
            if (inGradientArrays.contains(n)) {
                continue; // no array of its own
            }
            long size = elements(n, maxBatch);
            if (outputs.contains(n)) {
                add(Role.OUTPUT, n, size);
                continue;
            }
            count(naive, Role.VALUE, size);
            noteLargest(n, size);
            int here = position.get(n);
            while (!live.isEmpty() && lastUse.get(live.peek()) < here) {
                free.add(storageOf.get(live.poll()));
            }
            // A product's epilogue reads whole rows of its operand while it writes: never in place.
            int chosen = epilogues.containsKey(n) ? -1 : inPlace(n, here, fused, lastUse, live);
            if (chosen < 0) {
                chosen = choose(free, size);
                free.remove(Integer.valueOf(chosen));
            }
            storage.set(chosen, Math.max(storage.get(chosen), size));
            storageOf.put(n, chosen);
            sharers.get(chosen).add(n);
            if (!pinned.contains(n)) {
                lastUse.putIfAbsent(n, here); // never read: free after its own write
                live.add(n);
            }
        }
        for (long s : storage) {
            count(planned, Role.VALUE, s);
        }
        for (long s : scratch) {
            if (s > 0) {
                count(naive, Role.SCRATCH, s);
                count(planned, Role.SCRATCH, s);
            }
        }
    }

    /**
     * An elementwise loop reads each operand of its own shape at the index it writes, so it may
     * write over the last read of one: the array of such an operand (dead after this node), or -1.
     */
    private int inPlace(Node n, int here, Set<Node> fused, Map<Node, Integer> lastUse, PriorityQueue<Node> live) {
        Op.Kind kind = n.op().kind();
        if (kind != Op.Kind.UNARY && kind != Op.Kind.BINARY && kind != Op.Kind.MOVE) {
            return -1;
        }
        for (Node x : operands(n, fused)) {
            if (x.shape().equals(n.shape()) && lastUse.get(x) == here && live.remove(x)) {
                return storageOf.get(x);
            }
        }
        return -1;
    }

    /** The arrays {@code reader}'s loop reads: its operands, those of fused ones in their place. */
    static List<Node> operands(Node reader, Set<Node> fused) {
        List<Node> out = new ArrayList<>();
        for (Node in : reader.inputs()) {
            if (fused.contains(in)) {
                out.addAll(operands(in, fused));
            } else {
                out.add(in);
            }
        }
        return out;
    }

    /** Best fit among the free arrays; else the largest free one, to be grown; else a new one. */
    private int choose(List<Integer> free, long size) {
        int best = -1;
        for (int i : free) {
            long have = storage.get(i);
            if (have >= size && (best < 0 || have < storage.get(best))) {
                best = i;
            }
        }
        if (best < 0) {
            for (int i : free) {
                if (best < 0 || storage.get(i) > storage.get(best)) {
                    best = i;
                }
            }
        }
        if (best < 0) {
            storage.add(0L);
            sharers.add(new ArrayList<>());
            best = storage.size() - 1;
        }
        return best;
    }


    /** Gradients computed straight into their parameter's gradient array (as {@link JavaGenerator} does). */
    static Set<Node> inGradientArrays(Graph graph) {
        List<Node> forwardRoots = new ArrayList<>(graph.outputs().values());
        if (graph.loss() != null) {
            forwardRoots.add(graph.loss());
        }
        Set<Node> forward = identitySet();
        forward.addAll(graph.schedule(forwardRoots));
        Set<Node> in = identitySet();
        for (Node p : graph.params()) {
            Node g = graph.gradients().get(p.name());
            if (g != null && !g.inputs().isEmpty() && !forward.contains(g)) {
                in.add(g);
            }
        }
        return in;
    }

    private void add(Role role, Node n, long elements) {
        count(naive, role, elements);
        count(planned, role, elements);
        noteLargest(n, elements);
    }

    private void noteLargest(Node n, long elements) {
        if (elements > largestElements) {
            largest = n;
            largestElements = elements;
        }
    }

    private static void count(Map<Role, long[]> table, Role role, long elements) {
        long[] t = table.get(role);
        t[0]++;
        t[1] = saturatingAdd(t[1], elements);
    }

    /** The array {@code n}'s value lives in (an index of {@link #storage()}), or -1 if it has its own. */
    public int storage(Node n) {
        Integer s = storageOf.get(n);
        return s == null ? -1 : s;
    }

    /** The elements of each planned array of intermediate values. */
    public List<Long> storage() {
        return Collections.unmodifiableList(storage);
    }

    /** The values that share array {@code index}, in the order they are written. */
    public List<Node> sharers(int index) {
        return Collections.unmodifiableList(sharers.get(index));
    }

    /** Bytes the class allocates. */
    public long bytes() {
        return bytes(planned);
    }

    /** Bytes with one array per value instead, as before planning. */
    public long unplannedBytes() {
        return bytes(naive);
    }

    /** Arrays and bytes of one role, planned. */
    public long[] planned(Role role) {
        long[] t = planned.get(role);
        return new long[] {t[0], saturatingMultiply(t[1], width)};
    }

    /** Arrays and bytes of one role with one array per value. */
    public long[] unplanned(Role role) {
        long[] t = naive.get(role);
        return new long[] {t[0], saturatingMultiply(t[1], width)};
    }

    /** The largest single array, for messages. */
    public Node largest() {
        return largest;
    }

    public long largestElements() {
        return largestElements;
    }

    private long bytes(Map<Role, long[]> table) {
        long total = 0;
        for (long[] t : table.values()) {
            total = saturatingAdd(total, saturatingMultiply(t[1], width));
        }
        return total;
    }

    /** The buffer of {@code n} in elements: a batched one holds {@code maxBatch} samples. */
    static long elements(Node n, int maxBatch) {
        // In long arithmetic: a layer's weights may have more elements than an int counts.
        Shape s = n.shape();
        long size = 1;
        for (int d : s.dims()) {
            size = saturatingMultiply(size, d);
        }
        return s.batched() ? saturatingMultiply(maxBatch, size) : size;
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static long saturatingMultiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
