package nnc.codegen;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Chains of elementwise ops become one loop: an elementwise node whose only use is one operand of
 * another elementwise node of the same shape, or the operand of a sum, is computed inside that
 * node's loop, into a local, instead of into a buffer of its own with a loop of its own (batch
 * normalisation's backward pass sums four products no one else reads). The factors of an activation's derivative
 * and the incoming gradient become one pass. And in SIMD code a dense layer's product takes its
 * bias add (and ReLU) as an epilogue, applied to each block of results before it is stored. Each
 * element is computed by the same operations in the same order, so results are unchanged to the bit.
 */
final class Fusion {
    /** At most this many nodes in one loop, so that each method stays small for the JIT. */
    static final int MAX_NODES = 8;

    private Fusion() {}

    /**
     * What is computed in another node's loop.
     *
     * @param inlined elementwise nodes computed in their consumer's loop, into a local
     * @param epilogues products with their bias (and activation) applied as they are stored, by root
     * @param absorbed the products and bias adds computed in an epilogue's loop
     */
    record Plan(Set<Node> inlined, Map<Node, Epilogue> epilogues, Set<Node> absorbed) {
        /** Every node without a loop and an array of its own. */
        Set<Node> computedElsewhere() {
            Set<Node> all = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            all.addAll(inlined);
            all.addAll(absorbed);
            return all;
        }
    }

    /**
     * The fusion of {@code graph}'s class. Epilogues are chosen first: a product's epilogue saves a
     * pass over a whole batch of results, which an elementwise chain cannot; their nodes are then
     * kept out of elementwise chains.
     */
    static Plan plan(Graph graph, boolean vector, int maxBatch) {
        Map<Node, Epilogue> epilogues = epilogues(graph, vector, maxBatch);
        Set<Node> absorbed = absorbed(epilogues);
        Set<Node> exclude = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        exclude.addAll(absorbed);
        exclude.addAll(epilogues.keySet());
        return new Plan(inlined(graph, exclude), epilogues, absorbed);
    }

    /**
     * How often each node is used, by which node (the last, for one used once), and the values kept
     * in arrays of their own because they are read after a pass: outputs, gradients and the loss.
     */
    private record Uses(Map<Node, Integer> count, Map<Node, Node> user, Set<Node> kept) {
        static Uses of(Graph graph) {
            Map<Node, Integer> uses = new IdentityHashMap<>();
            Map<Node, Node> user = new IdentityHashMap<>();
            for (Node n : graph.nodes()) {
                for (Node in : n.inputs()) {
                    uses.merge(in, 1, Integer::sum);
                    user.put(in, n);
                }
            }
            Set<Node> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            kept.addAll(graph.outputs().values());
            kept.addAll(graph.gradients().values());
            if (graph.loss() != null) {
                kept.add(graph.loss());
            }
            return new Uses(uses, user, kept);
        }
    }

    /** The nodes computed inside their consumer's loop, none of {@code exclude}. */
    static Set<Node> inlined(Graph graph, Set<Node> exclude) {
        Uses counts = Uses.of(graph);
        Map<Node, Integer> uses = counts.count();
        Map<Node, Node> user = counts.user();
        Set<Node> kept = counts.kept();
        Set<Node> inlined = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        // In graph order, operands before users, so that a tree's size is known when its root is considered.
        Map<Node, Integer> size = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            int s = 1;
            for (Node in : n.inputs()) {
                if (inlined.contains(in)) {
                    s += size.get(in);
                }
            }
            size.put(n, s);
            Node u = user.get(n);
            if (elementwise(n) && !kept.contains(n) && !exclude.contains(n) && uses.getOrDefault(n, 0) == 1 && u != null
                    && (elementwise(u) && n.shape().equals(u.shape()) || u.op() == Op.SUM) && s < MAX_NODES) {
                inlined.add(n);
            }
        }
        // A user's tree may still grow past the limit through several operands; cut at the root.
        for (Node n : graph.nodes()) {
            if (!inlined.contains(n) && treeSize(n, inlined) > MAX_NODES) {
                for (Node in : n.inputs()) {
                    inlined.remove(in);
                }
            }
        }
        return inlined;
    }

    /**
     * A matrix product whose bias add (and the activation after it) is applied as each block of
     * the product is stored, instead of in passes of their own over the result.
     *
     * @param root the node whose array the fused loop writes: the activation, or the bias add
     * @param activation the activation applied, or null
     */
    record Epilogue(Node root, Node product, Node bias, Node add, Node activation) {}

    /**
     * The products of SIMD code that get an epilogue: a product of the first form (X W), not split
     * among threads, with a depth of at most one block (so each result is final when stored) and more
     * than one column, used only by an add of a bias vector, itself followed by ReLU when it is that
     * activation's only use. Not sigmoid or tanh: with their VectorMath calls at every store, C2 no
     * longer inlined them and allocated a vector per call (GeneratedCodeTest caught 32 kB per step);
     * they stay a pass of their own.
     * Each result is computed by the same operations as in separate passes, so bit for bit the same.
     */
    private static Map<Node, Epilogue> epilogues(Graph graph, boolean vector, int maxBatch) {
        Map<Node, Epilogue> byRoot = new IdentityHashMap<>();
        if (!vector) {
            return byRoot;
        }
        Uses counts = Uses.of(graph);
        Map<Node, Integer> uses = counts.count();
        Map<Node, Node> user = counts.user();
        Set<Node> kept = counts.kept();
        for (Node m : graph.nodes()) {
            if (m.op() != Op.MATMUL || m.transA() || m.transB() || kept.contains(m) || uses.getOrDefault(m, 0) != 1) {
                continue;
            }
            Node a = m.input(0);
            Node b = m.input(1);
            int cols = m.shape().last();
            if (!Kernels.isBuffer(a) || !Kernels.isBuffer(b) || cols == 1 || a.shape().last() > VectorKernels.DEPTH_BLOCK
                    || VectorKernels.parallel(m, maxBatch)) {
                continue;
            }
            Node add = user.get(m);
            if (add.op() != Op.ADD || !add.shape().equals(m.shape())) {
                continue;
            }
            Node bias = add.input(0) == m ? add.input(1) : add.input(0);
            if (bias == m || !Kernels.isBuffer(bias) || bias.shape().batched() || bias.shape().rank() != 1
                    || bias.shape().last() != cols) {
                continue;
            }
            Node act = user.get(add);
            boolean activation = act != null && uses.getOrDefault(add, 0) == 1 && !kept.contains(add)
                    && act.shape().equals(add.shape())
                    && act.op() == Op.RELU;
            Node root = activation ? act : add;
            byRoot.put(root, new Epilogue(root, m, bias, add, activation ? act : null));
        }
        return byRoot;
    }

    /** The nodes computed inside an epilogue's loop rather than by a loop of their own. */
    private static Set<Node> absorbed(Map<Node, Epilogue> epilogues) {
        Set<Node> absorbed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Epilogue e : epilogues.values()) {
            absorbed.add(e.product());
            if (e.activation() != null) {
                absorbed.add(e.add());
            }
        }
        return absorbed;
    }

    private static int treeSize(Node n, Set<Node> inlined) {
        int s = 1;
        for (Node in : n.inputs()) {
            if (inlined.contains(in)) {
                s += treeSize(in, inlined);
            }
        }
        return s;
    }

    /**
     * Elementwise, and not exp, sigmoid or tanh: their SIMD form calls nnc.runtime.VectorMath, which
     * the JIT must inline for its vectors not to be allocated; in a fused loop it sometimes did not.
     */
    static boolean elementwise(Node n) {
        if (n.op() == Op.EXP || n.op() == Op.SIGMOID || n.op() == Op.TANH) {
            return false;
        }
        return switch (n.op().kind()) {
            case UNARY, BINARY, MOVE -> true;
            default -> false;
        };
    }
}
