package nnc.runtime;

import java.util.List;

/** A hand-written model for tests: out = w * x + b, loss = mean((out - y)^2), double precision. */
final class LinearModel implements Model {
    final double[] x;
    final double[] y;
    final double[] out;
    final double[] w = new double[1];
    final double[] b = new double[1];
    final double[] dw = new double[1];
    final double[] db = new double[1];
    private final int maxBatch;
    private final List<Parameter> params;
    private final List<Tensor> inputs;
    private final List<Tensor> targets;
    private final List<Tensor> outputs;

    LinearModel(int maxBatch) {
        this.maxBatch = maxBatch;
        x = new double[maxBatch];
        y = new double[maxBatch];
        out = new double[maxBatch];
        params = List.of(
                new Parameter("w", Tensor.of("w", new int[0], w), Tensor.of("w.grad", new int[0], dw), Init.constant(0), 1, 1),
                new Parameter("b", Tensor.of("b", new int[0], b), Tensor.of("b.grad", new int[0], db), Init.constant(0), 1, 1));
        inputs = List.of(Tensor.batched("x", new int[0], x));
        targets = List.of(Tensor.batched("y", new int[0], y));
        outputs = List.of(Tensor.batched("out", new int[0], out));
    }

    @Override
    public String name() {
        return "Linear";
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public boolean isDouble() {
        return true;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
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
        for (int i = 0; i < n; i++) {
            out[i] = w[0] * x[i] + b[0];
        }
    }

    @Override
    public double loss(int n) {
        infer(n);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (out[i] - y[i]) * (out[i] - y[i]);
        }
        return s / n;
    }

    @Override
    public double trainStep(int n) {
        double l = loss(n);
        dw[0] = 0;
        db[0] = 0;
        for (int i = 0; i < n; i++) {
            double g = 2 * (out[i] - y[i]) / n;
            dw[0] += g * x[i];
            db[0] += g;
        }
        return l;
    }
}
