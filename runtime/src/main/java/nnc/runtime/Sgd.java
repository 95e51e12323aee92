package nnc.runtime;

import java.util.List;

/** Plain stochastic gradient descent: {@code w -= lr * grad}. */
public final class Sgd implements Optimizer {
    private double lr;
    /** The parameters of the step in progress, for the parts of a split update. */
    private List<Parameter> params;
    private final ElementSplit split = new ElementSplit(this::updateRange);

    public Sgd(double lr) {
        setLearningRate(lr);
    }

    @Override
    public void step(List<Parameter> params) {
        this.params = params;
        for (int k = 0; k < params.size(); k++) {
            split.run(k, params.get(k).size());
        }
        this.params = null;
    }

    private void updateRange(int k, int from, int to) {
        Parameter p = params.get(k);
        if (p.value().isDouble()) {
            double[] w = p.value().doubles();
            double[] g = p.grad().doubles();
            for (int i = from; i < to; i++) {
                w[i] -= lr * g[i];
            }
        } else {
            float[] w = p.value().floats();
            float[] g = p.grad().floats();
            float rate = (float) lr;
            for (int i = from; i < to; i++) {
                w[i] -= rate * g[i];
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, not " + lr);
        }
        this.lr = lr;
    }

    @Override
    public String describe() {
        return "sgd(lr: " + Numbers.text(lr) + ")";
    }
}
