package nnc.interp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Layout;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Tensor;
import nnc.runtime.Trainer;

/**
 * Finds where a NaN or an infinity came from: runs the failing batch again in the interpreter,
 * node by node from the same parameters and data, rounding to float as float code does, and
 * names the first node whose value is not finite although its inputs are, with its .nn line. The
 * generated step stays as fast as it was: this runs only once training has already stopped.
 */
public final class NonFinite implements Trainer.NonFiniteExplainer {
    private final Graph graph;

    /** @param graph the graph the model was generated from ({@code Compiler.Result.optimized()}) */
    public NonFinite(Graph graph) {
        this.graph = graph;
    }

    @Override
    public String explain(Model model, int n) {
        Interpreter interp = new Interpreter(graph, model.maxBatch(), !model.isDouble());
        for (Parameter p : model.parameters()) {
            copy(p.value(), interp.leaf(p.name()), p.size());
        }
        for (List<Tensor> group : List.of(model.inputs(), model.targets())) {
            for (Tensor t : group) {
                copy(t, interp.leaf(t.name()), n * t.sampleSize());
            }
        }
        interp.trainStep(n);
        List<Node> roots = new ArrayList<>(graph.gradients().values());
        if (graph.loss() != null) {
            roots.add(graph.loss());
        }
        List<Node> forwardRoots = new ArrayList<>(graph.outputs().values());
        if (graph.loss() != null) {
            forwardRoots.add(graph.loss());
        }
        // The forward pass first, then the backward pass, each in the order the step computes it.
        List<Node> forwardOrder = graph.schedule(forwardRoots);
        Set<Node> forward = new HashSet<>(forwardOrder);
        List<Node> order = new ArrayList<>(forwardOrder);
        for (Node node : graph.schedule(roots)) {
            if (!forward.contains(node)) {
                order.add(node);
            }
        }
        for (Node node : order) {
            if (node.inputs().isEmpty()) {
                continue;
            }
            double[] v = interp.value(node);
            int length = Layout.length(node.shape(), n);
            for (int i = 0; i < length; i++) {
                if (!Double.isFinite(v[i])) {
                    return describe(node, v[i], forward.contains(node)) + (interp.hasDropout()
                            ? " (replayed with other dropout masks than the failing step's)" : "");
                }
            }
        }
        return "replayed in nnc's interpreter, the batch gives no non-finite value"
                + (interp.hasDropout() ? " (with other dropout masks than the failing step's)" : "");
    }

    /** "the first non-finite value is exp in 'h2' (model.nn:8: h2 = exp(h1 * 50)), +Infinity". */
    static String describe(Node node, double value, boolean forward) {
        String op = node.op().toString().toLowerCase(Locale.ROOT);
        StringBuilder s = new StringBuilder("the first non-finite value is ");
        s.append(value).append(" from ").append(node.op() == Op.MATMUL ? "a matrix product" : op);
        if (node.label() != null) {
            s.append(" computing '").append(node.label()).append('\'');
        }
        s.append(forward ? " in the forward pass" : " in the backward pass");
        if (node.origin().line() > 0) {
            s.append(", at ").append(node.origin().where()).append(": ").append(node.origin().text().replaceAll("\\s+", " ").strip());
        }
        return s.toString();
    }

    private static void copy(Tensor from, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(i);
        }
    }
}
