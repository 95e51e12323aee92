package nnc.codegen;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Chains of elementwise ops become one loop: an elementwise node whose only use is one operand of
 * another elementwise node of the same shape is computed inside that node's loop, into a local,
 * instead of into a buffer of its own with a loop of its own. The factors of an activation's derivative
 * and the incoming gradient become one pass. Each element is
 * computed by the same operations in the same order, so results are unchanged to the bit.
 */
final class Fusion {
    /** At most this many nodes in one loop, so that each method stays small for the JIT. */
    static final int MAX_NODES = 8;

    private Fusion() {}

    /** The nodes computed inside their consumer's loop. */
    static Set<Node> inlined(Graph graph) {
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
            if (elementwise(n) && !kept.contains(n) && uses.getOrDefault(n, 0) == 1 && u != null && elementwise(u)
                    && n.shape().equals(u.shape()) && s < MAX_NODES) {
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
