package nnc.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's computation: its leaves, its roots (outputs, loss and, after differentiation, one
 * gradient per parameter) and every node they need, in topological order. Immutable.
 */
public final class Graph {
    private final String name;
    private final List<Node> inputs;
    private final List<Node> targets;
    private final List<Node> params;
    private final List<Node> states;
    private final Map<String, Node> outputs;
    private final Node loss;
    private final Node objective;
    private final Map<String, Node> gradients;
    private final List<Node> nodes;
    private final Map<Node, Integer> positions;

    private Graph(String name, List<Node> inputs, List<Node> targets, List<Node> params, List<Node> states,
            Map<String, Node> outputs, Node loss, Node objective, Map<String, Node> gradients) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.targets = List.copyOf(targets);
        this.params = List.copyOf(params);
        this.states = List.copyOf(states);
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.loss = loss;
        this.objective = objective == null ? loss : objective;
        this.gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        List<Node> roots = new ArrayList<>();
        roots.addAll(this.inputs);
        roots.addAll(this.targets);
        roots.addAll(this.params);
        roots.addAll(this.states);
        roots.addAll(this.outputs.values());
        if (loss != null) {
            roots.add(loss);
        }
        if (this.objective != null && this.objective != loss) {
            roots.add(this.objective);
        }
        roots.addAll(this.gradients.values());
        this.nodes = List.copyOf(topologicalOrder(roots));
        Map<Node, Integer> p = new java.util.IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            p.put(nodes.get(i), i);
        }
        this.positions = Collections.unmodifiableMap(p);
    }

    static Graph of(String name, List<Node> inputs, List<Node> targets, List<Node> params, List<Node> states,
            Map<String, Node> outputs, Node loss, Node objective, Map<String, Node> gradients) {
        return new Graph(name, inputs, targets, params, states, outputs, loss, objective, gradients);
    }

    /** Every node the roots need, each after its inputs, leaves in declaration order first. */
    public static List<Node> topologicalOrder(List<Node> roots) {
        List<Node> order = new ArrayList<>();
        Set<Node> done = new HashSet<>();
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        for (Node root : roots) {
            if (done.contains(root)) {
                continue;
            }
            // Iterative post-order: deep graphs must not overflow the Java stack.
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                int i = next.pop();
                if (i < n.inputs().size()) {
                    next.push(i + 1);
                    Node in = n.input(i);
                    if (!done.contains(in)) {
                        stack.push(in);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    if (done.add(n)) {
                        order.add(n);
                    }
                }
            }
        }
        return order;
    }

    public String name() {
        return name;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public List<Node> targets() {
        return targets;
    }

    public List<Node> params() {
        return params;
    }

    /**
     * Model state that is not trained (STATE leaves), such as batch normalisation's running
     * statistics, in declaration order; optimisers never see it, checkpoints save it.
     */
    public List<Node> states() {
        return states;
    }

    public Map<String, Node> outputs() {
        return outputs;
    }

    /** The scalar loss, or null for a graph without one. */
    public Node loss() {
        return loss;
    }

    /**
     * What training minimises: the loss plus any regularisation penalty (the loss itself when there
     * is none). The loss alone is what is reported.
     */
    public Node objective() {
        return objective;
    }

    /** Parameter name to the node computing d objective / d parameter; empty before differentiation. */
    public Map<String, Node> gradients() {
        return gradients;
    }

    /** All nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The nodes {@code roots} need, in the order of {@link #nodes()}: every schedule of one graph
     * runs shared nodes in the same relative order, so values that the generated class keeps in one
     * array (its memory plan) are dead in every entry point, and dropout masks are drawn in the same
     * order by the interpreter and the generated code whatever the roots.
     */
    public List<Node> schedule(List<Node> roots) {
        List<Node> needed = topologicalOrder(roots);
        Map<Node, Integer> position = positions();
        for (Node n : needed) {
            if (!position.containsKey(n)) {
                return needed; // roots outside this graph (a pass building a new one): their own order
            }
        }
        needed.sort(java.util.Comparator.comparingInt(position::get));
        return needed;
    }

    /** Each node's index in {@link #nodes()}. */
    public Map<Node, Integer> positions() {
        return positions;
    }

    /** The same leaves with other roots; for passes. */
    public Graph withRoots(Map<String, Node> newOutputs, Node newLoss, Node newObjective, Map<String, Node> newGradients) {
        return new Graph(name, inputs, targets, params, states, newOutputs, newLoss, newObjective, newGradients);
    }

    /** The parameter node named {@code name}, or null. */
    public Node param(String paramName) {
        for (Node p : params) {
            if (p.name().equals(paramName)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return IrPrinter.print(this);
    }
}
