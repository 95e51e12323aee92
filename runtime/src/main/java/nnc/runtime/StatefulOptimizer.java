package nnc.runtime;

import java.util.List;

/**
 * An optimiser with per-element state (momentum buffers, running averages), updating every
 * parameter element by element in double precision. The state is allocated on the first step;
 * no later step allocates. {@link #state()} and {@link #restore} let checkpoints carry it.
 */
public abstract class StatefulOptimizer implements Optimizer {
    private final int slots;
    protected double lr;
    /** Steps taken so far (t in Adam's bias correction). */
    protected long steps;
    private double[][][] state;
    /** The parameters of the step in progress, for the parts of a split update. */
    private List<Parameter> params;
    private final ElementSplit split = new ElementSplit(this::updateRange);

    protected StatefulOptimizer(double lr, int slots) {
        setLearningRate(lr);
        this.slots = slots;
    }

    @Override
    public final void step(List<Parameter> params) {
        if (state == null || state.length != params.size()) {
            state = new double[params.size()][slots][];
            for (int k = 0; k < params.size(); k++) {
                for (int s = 0; s < slots; s++) {
                    state[k][s] = new double[params.get(k).size()];
                }
            }
        }
        steps++;
        beginStep();
        this.params = params;
        for (int k = 0; k < params.size(); k++) {
            split.run(k, params.get(k).size());
        }
        this.params = null;
    }

    private void updateRange(int k, int from, int to) {
        Parameter p = params.get(k);
        double[][] st = state[k];
        if (p.value().isDouble()) {
            double[] w = p.value().doubles();
            double[] g = p.grad().doubles();
            for (int i = from; i < to; i++) {
                w[i] = update(st, i, w[i], g[i]);
            }
        } else {
            updateFloats(st, p.value().floats(), p.grad().floats(), from, to);
        }
    }

    /** Updates elements {@code from} to {@code to} of a float parameter: {@link #update} on each, or the same faster. */
    protected void updateFloats(double[][] st, float[] w, float[] g, int from, int to) {
        for (int i = from; i < to; i++) {
            w[i] = (float) update(st, i, w[i], g[i]);
        }
    }

    /** Called once per step before the updates, for per-step constants such as bias corrections. */
    protected void beginStep() {}

    /** The new value of one element, given its state slots {@code st[slot][i]}. */
    protected abstract double update(double[][] st, int i, double w, double g);

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

    /** The steps taken and every state array, for checkpoints (null state before the first step). */
    public double[][][] state() {
        return state;
    }

    /** State arrays per parameter (1 for momentum, 2 for Adam's two moments). */
    public int slots() {
        return slots;
    }

    public long steps() {
        return steps;
    }

    /** Restores what {@link #state()} and {@link #steps()} returned. */
    public void restore(long steps, double[][][] state) {
        this.steps = steps;
        this.state = state;
    }
}
