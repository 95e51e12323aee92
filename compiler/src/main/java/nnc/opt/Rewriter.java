package nnc.opt;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;

/**
 * Walks a graph once in topological order, letting a rule replace each node given its already
 * rewritten inputs, and rebuilds the roots. Leaves are never replaced.
 */
final class Rewriter {
    private Rewriter() {}

    /** {@code (node, rewritten inputs, builder) -> replacement}; return {@code b.copy(n, in)} to keep it. */
    @FunctionalInterface
    interface Rule {
        Node rewrite(Node n, List<Node> in, GraphBuilder b);
    }

    static Graph rewrite(Graph g, Rule rule) {
        GraphBuilder b = GraphBuilder.from(g);
        Map<Node, Node> map = new IdentityHashMap<>();
        long newIds = 0; // nodes with larger ids were created by this rewrite
        for (Node n : g.nodes()) {
            newIds = Math.max(newIds, n.id());
        }
        for (Node n : g.nodes()) {
            if (n.inputs().isEmpty()) {
                map.put(n, n.op() == nnc.ir.Op.PARAM || n.op() == nnc.ir.Op.INPUT || n.op() == nnc.ir.Op.TARGET
                        || n.op() == nnc.ir.Op.STATE
                        ? n
                        : rule.rewrite(n, List.of(), b.at(n.origin())));
                continue;
            }
            List<Node> in = new ArrayList<>(n.inputs().size());
            for (Node x : n.inputs()) {
                in.add(map.get(x));
            }
            Node r = rule.rewrite(n, in, b.at(n.origin()));
            if (!r.shape().equals(n.shape())) {
                throw new IllegalStateException("rewrite of " + n + " changed its shape to " + r.shape());
            }
            if (n.label() != null && r.label() == null && r.id() > newIds) {
                r = b.label(r, n.label()); // a replacement computes the same named value
            }
            map.put(n, r);
        }
        Map<String, Node> outputs = new LinkedHashMap<>();
        g.outputs().forEach((k, v) -> outputs.put(k, map.get(v)));
        Map<String, Node> gradients = new LinkedHashMap<>();
        g.gradients().forEach((k, v) -> gradients.put(k, map.get(v)));
        return g.withRoots(outputs, g.loss() == null ? null : map.get(g.loss()),
                g.objective() == null ? null : map.get(g.objective()), gradients);
    }
}
