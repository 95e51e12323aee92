package nnc.runtime;

import java.util.List;

/** A model that forwards everything to another, for tests that change one of its answers. */
abstract class DelegatingModel implements Model {
    private final Model m;

    DelegatingModel(Model m) {
        this.m = m;
    }

    @Override
    public String name() {
        return m.name();
    }

    @Override
    public int maxBatch() {
        return m.maxBatch();
    }

    @Override
    public boolean isDouble() {
        return m.isDouble();
    }

    @Override
    public List<Parameter> parameters() {
        return m.parameters();
    }

    @Override
    public List<Tensor> inputs() {
        return m.inputs();
    }

    @Override
    public List<Tensor> targets() {
        return m.targets();
    }

    @Override
    public List<Tensor> outputs() {
        return m.outputs();
    }

    @Override
    public List<Tensor> buffers() {
        return m.buffers();
    }

    @Override
    public long[] randomState() {
        return m.randomState();
    }

    @Override
    public void restoreRandomState(long[] state) {
        m.restoreRandomState(state);
    }

    @Override
    public void infer(int n) {
        m.infer(n);
    }

    @Override
    public double loss(int n) {
        return m.loss(n);
    }

    @Override
    public double trainStep(int n) {
        return m.trainStep(n);
    }
}
