package nnc.runtime;

/** Access to the test models from other packages' tests. */
public final class TestModels {
    public Model linear(int maxBatch) {
        return new LinearModel(maxBatch);
    }
}
