package nnc.autodiff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Shape;

/**
 * Reverse-mode differentiation: extends a graph with one node per parameter computing the
 * gradient of the loss with respect to it. The backward part is ordinary IR, built from the
 * rules in {@link Derivatives}.
 */
public final class Autodiff {
    private Autodiff() {}

    /**
     * The result: the differentiated graph, the parameters the loss does not depend on, and the
     * node computing d objective / d x for every forward node x the objective depends on through a
     * parameter (for diagnostics: gradients with respect to activations).
     */
    public record Result(Graph graph, List<String> unusedParams, Map<Node, Node> adjoints) {}

    public static Result differentiate(Graph forward) {
        Node loss = forward.objective();
        if (loss == null) {
            throw new IllegalArgumentException("graph " + forward.name() + " has no loss to differentiate");
        }
        List<Node> order = forward.schedule(List.of(loss));
        Set<Node> needsGrad = dependsOnParams(order);

        GraphBuilder b = GraphBuilder.from(forward);
        Map<Node, Node> grads = new IdentityHashMap<>();
        grads.put(loss, b.at(loss.origin()).constant(1));
        for (int i = order.size() - 1; i >= 0; i--) {
            Node y = order.get(i);
            Node g = grads.get(y);
            if (g == null || y.inputs().isEmpty() || !needsGrad.contains(y)) {
                continue;
            }
            b.at(y.origin());
            if (y.label() != null && g.label() == null) {
                // Named after the value it is the gradient of, so generated code reads d_h1.
                g = b.label(g, "d_" + y.label());
                grads.put(y, g);
            }
            List<Node> contributions = Derivatives.of(y.op()).apply(y, g, b);
            for (int k = 0; k < y.inputs().size(); k++) {
                Node x = y.input(k);
                Node dx = contributions.get(k);
                if (dx == null || !needsGrad.contains(x)) {
                    continue;
                }
                dx = fit(b, dx, x.shape());
                Node sum = grads.get(x);
                grads.put(x, sum == null ? dx : b.add(sum, dx));
            }
        }

        Map<String, Node> gradients = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        for (Node p : forward.params()) {
            Node g = grads.get(p);
            if (g == null) {
                unused.add(p.name());
                g = b.at(p.origin()).constant(0, p.shape());
            }
            gradients.put(p.name(), b.label(g, "d_" + p.name()));
        }
        return new Result(forward.withRoots(forward.outputs(), forward.loss(), forward.objective(), gradients), unused,
                java.util.Collections.unmodifiableMap(grads));
    }

    /** Sums a contribution down (broadcast in the forward pass) or expands it up to {@code shape}. */
    private static Node fit(GraphBuilder b, Node dx, Shape shape) {
        if (dx.shape().equals(shape)) {
            return dx;
        }
        if (shape.broadcastsTo(dx.shape())) {
            return b.sum(dx, shape);
        }
        return b.expand(dx, shape);
    }

    private static Set<Node> dependsOnParams(List<Node> order) {
        Set<Node> result = new HashSet<>();
        for (Node n : order) {
            if (n.op() == nnc.ir.Op.PARAM) {
                result.add(n);
            } else {
                for (Node in : n.inputs()) {
                    if (result.contains(in)) {
                        result.add(n);
                        break;
                    }
                }
            }
        }
        return result;
    }
}
