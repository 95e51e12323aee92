package nnc.runtime;

import java.util.List;

/**
 * A hand-written model for checkpoint tests, with what a checkpoint must carry besides parameters:
 * out = w . (mask * x) + b over inputs x of [features], loss = mean((out - y)^2), where the mask is
 * inverted dropout with p = 0.5 drawn from the model's own generator in {@link #trainStep} only,
 * and a buffer {@code seen} counting the samples trained on (like batch norm's running statistics,
 * state no optimiser touches). Float or double storage.
 */
final class DropoutLinearModel implements Model {
    final Tensor x;
    final Tensor y;
    final Tensor out;
    final Tensor w;
    final Tensor b;
    final Tensor seen;
    private final Tensor dw;
    private final Tensor db;
    private final Tensor mask;
    private final String name;
    private final int features;
    private final int maxBatch;
    private final boolean isDouble;
    private final List<Parameter> params;
    private Rng dropout = Rng.forStream(0, "dropout");

    DropoutLinearModel(String name, int features, int maxBatch, boolean isDouble) {
        this.name = name;
        this.features = features;
        this.maxBatch = maxBatch;
        this.isDouble = isDouble;
        x = tensor("x", new int[] {features}, maxBatch * features, true);
        y = tensor("y", new int[0], maxBatch, true);
        out = tensor("out", new int[0], maxBatch, true);
        mask = tensor("mask", new int[] {features}, maxBatch * features, true);
        w = tensor("w", new int[] {features}, features, false);
        b = tensor("b", new int[0], 1, false);
        dw = tensor("w.grad", new int[] {features}, features, false);
        db = tensor("b.grad", new int[0], 1, false);
        seen = tensor("seen", new int[0], 1, false);
        params = List.of(new Parameter("w", w, dw, Init.normal(0, 1), features, 1), new Parameter("b", b, db, Init.zeros(), 1, 1));
    }

    private Tensor tensor(String name, int[] shape, int length, boolean batched) {
        if (isDouble) {
            return batched ? Tensor.batched(name, shape, new double[length]) : Tensor.of(name, shape, new double[length]);
        }
        return batched ? Tensor.batched(name, shape, new float[length]) : Tensor.of(name, shape, new float[length]);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public boolean isDouble() {
        return isDouble;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public List<Tensor> inputs() {
        return List.of(x);
    }

    @Override
    public List<Tensor> targets() {
        return List.of(y);
    }

    @Override
    public List<Tensor> outputs() {
        return List.of(out);
    }

    @Override
    public List<Tensor> buffers() {
        return List.of(seen);
    }

    @Override
    public void initialize(long seed) {
        Model.super.initialize(seed);
        seen.set(0, 0);
        dropout = Rng.forStream(seed, "dropout");
    }

    @Override
    public long[] randomState() {
        return dropout.saveState();
    }

    @Override
    public void restoreRandomState(long[] state) {
        dropout.restoreState(state);
    }

    private double forward(int n, boolean training) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double o = b.get(0);
            for (int j = 0; j < features; j++) {
                double m = training ? (dropout.nextDouble() < 0.5 ? 0 : 2) : 1;
                mask.set(i * features + j, m);
                o += w.get(j) * m * x.get(i * features + j);
            }
            out.set(i, o);
            double d = out.get(i) - y.get(i);
            loss += d * d;
        }
        return loss / n;
    }

    @Override
    public void infer(int n) {
        forward(n, false);
    }

    @Override
    public double loss(int n) {
        return forward(n, false);
    }

    @Override
    public double trainStep(int n) {
        double loss = forward(n, true);
        dw.fill(0);
        db.fill(0);
        for (int i = 0; i < n; i++) {
            double g = 2 * (out.get(i) - y.get(i)) / n;
            for (int j = 0; j < features; j++) {
                dw.set(j, dw.get(j) + g * mask.get(i * features + j) * x.get(i * features + j));
            }
            db.set(0, db.get(0) + g);
        }
        seen.set(0, seen.get(0) + n);
        return loss;
    }
}
