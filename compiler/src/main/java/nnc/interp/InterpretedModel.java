package nnc.interp;

import java.util.ArrayList;
import java.util.List;
import nnc.ir.Graph;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.runtime.Init;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Tensor;

/**
 * A graph run by the {@link Interpreter} behind the same {@link Model} interface as a generated
 * class: same tensors, names, shapes and precision. {@code nnc train --interpret} trains it, the
 * differential tests hold it against generated code, and the benchmarks time it.
 */
public final class InterpretedModel implements Model {
    private final Interpreter interpreter;
    private final Graph graph;
    private final boolean isDouble;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Tensor> inputs = new ArrayList<>();
    private final List<Tensor> targets = new ArrayList<>();
    private final List<Tensor> outputs = new ArrayList<>();
    private final List<Tensor> buffers = new ArrayList<>();
    /** Pairs of (model tensor, interpreter storage) copied before each run. */
    private final List<Tensor> in = new ArrayList<>();
    private final List<double[]> inStorage = new ArrayList<>();
    /** The nodes the loss needs: outputs among them are written by loss and trainStep, as generated code does. */
    private final java.util.Set<Node> onLossPath;

    public InterpretedModel(Graph graph, int maxBatch, boolean isDouble) {
        this.graph = graph;
        this.isDouble = isDouble;
        this.interpreter = new Interpreter(graph, maxBatch, !isDouble);
        this.onLossPath = graph.loss() == null ? java.util.Set.of()
                : java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (graph.loss() != null) {
            onLossPath.addAll(graph.schedule(List.of(graph.loss())));
        }
        for (Node n : graph.params()) {
            int size = n.shape().size();
            Tensor value = tensor(n.name(), n.shape().dims(), size, false);
            Tensor grad = tensor(n.name() + ".grad", n.shape().dims(), size, false);
            parameters.add(new Parameter(n.name(), value, grad, init(n.param().init()), n.param().fanIn(), n.param().fanOut()));
            feed(value, n.name());
        }
        for (Node n : graph.states()) {
            Tensor value = tensor(n.name(), n.shape().dims(), n.shape().size(), false);
            buffers.add(value);
            feed(value, n.name());
        }
        for (Node n : graph.inputs()) {
            inputs.add(feed(tensor(n.name(), n.shape().dims(), maxBatch * n.shape().size(), true), n.name()));
        }
        for (Node n : graph.targets()) {
            targets.add(feed(tensor(n.name(), n.shape().dims(), maxBatch * n.shape().size(), true), n.name()));
        }
        graph.outputs().forEach((name, n) -> outputs.add(tensor(name, n.shape().dims(),
                n.shape().batched() ? maxBatch * n.shape().size() : n.shape().size(), n.shape().batched())));
    }

    private Tensor feed(Tensor t, String name) {
        in.add(t);
        inStorage.add(interpreter.leaf(name));
        return t;
    }

    private Tensor tensor(String name, int[] dims, int length, boolean batched) {
        if (isDouble) {
            double[] d = new double[length];
            return batched ? Tensor.batched(name, dims, d) : Tensor.of(name, dims, d);
        }
        float[] f = new float[length];
        return batched ? Tensor.batched(name, dims, f) : Tensor.of(name, dims, f);
    }

    private static Init init(InitSpec spec) {
        return Init.of(spec.kind(), spec.args());
    }

    @Override
    public void initialize(long seed) {
        Model.super.initialize(seed);
        interpreter.seed(seed);
        for (int k = 0; k < buffers.size(); k++) { // running statistics start at their initial values
            double initial = graph.states().get(k).value();
            for (int i = 0; i < buffers.get(k).length(); i++) {
                buffers.get(k).set(i, initial);
            }
        }
    }

    @Override
    public long[] randomState() {
        return interpreter.hasDropout() ? interpreter.randomState() : null;
    }

    @Override
    public void restoreRandomState(long[] state) {
        if (!interpreter.hasDropout()) {
            Model.super.restoreRandomState(state);
        }
        interpreter.restoreRandomState(state);
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    @Override
    public String name() {
        return graph.name();
    }

    @Override
    public int maxBatch() {
        return interpreter.maxBatch();
    }

    @Override
    public boolean isDouble() {
        return isDouble;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public List<Tensor> buffers() {
        return buffers;
    }

    @Override
    public List<Tensor> inputs() {
        return inputs;
    }

    @Override
    public List<Tensor> targets() {
        return targets;
    }

    @Override
    public List<Tensor> outputs() {
        return outputs;
    }

    @Override
    public void infer(int n) {
        copyIn(n);
        interpreter.infer(n);
        copyOutputs(n, null);
    }

    @Override
    public double loss(int n) {
        copyIn(n);
        double loss = interpreter.loss(n);
        copyOutputs(n, onLossPath);
        return loss;
    }

    @Override
    public int classes() {
        if (graph.targets().isEmpty() || graph.outputs().isEmpty()) {
            return 0;
        }
        int k = (int) graph.targets().get(0).value();
        nnc.ir.Shape out = graph.outputs().values().iterator().next().shape();
        return k > 0 && out.batched() && out.rank() == 1 && out.last() == k ? k : 0;
    }

    @Override
    public double trainStep(int n) {
        copyIn(n);
        double loss = interpreter.trainStep(n);
        copyOutputs(n, onLossPath);
        for (Tensor b : buffers) { // the running statistics the step updated
            double[] v = interpreter.leaf(b.name());
            for (int i = 0; i < b.length(); i++) {
                b.set(i, v[i]);
            }
        }
        for (int k = 0; k < parameters.size(); k++) {
            Tensor grad = parameters.get(k).grad();
            double[] g = interpreter.gradient(parameters.get(k).name());
            for (int i = 0; i < grad.length(); i++) {
                grad.set(i, g[i]);
            }
        }
        return loss;
    }

    private void copyIn(int n) {
        if (n < 1 || n > maxBatch()) {
            throw new IllegalArgumentException("batch size " + n + " is outside 1.." + maxBatch());
        }
        for (int k = 0; k < in.size(); k++) {
            Tensor t = in.get(k);
            double[] dst = inStorage.get(k);
            int length = t.isBatched() ? n * t.sampleSize() : t.length();
            for (int i = 0; i < length; i++) {
                dst[i] = t.get(i);
            }
        }
    }

    /** Copies the outputs computed by the last run: all of them, or those in {@code computed}. */
    private void copyOutputs(int n, java.util.Set<Node> computed) {
        int k = 0;
        for (Node node : graph.outputs().values()) {
            Tensor t = outputs.get(k++);
            if (computed != null && !computed.contains(node)) {
                continue;
            }
            double[] v = interpreter.value(node);
            int length = t.isBatched() ? n * t.sampleSize() : t.length();
            for (int i = 0; i < length; i++) {
                t.set(i, v[i]);
            }
        }
    }
}
