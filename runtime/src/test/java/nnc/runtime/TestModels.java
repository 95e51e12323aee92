package nnc.runtime;

/** Access to the test models from other packages' tests. */
public final class TestModels {
    public Model linear(int maxBatch) {
        return new LinearModel(maxBatch);
    }

    /** Softmax regression over {@code classes} classes, its target y the class index. */
    public Model classifier(int inputs, int classes, int maxBatch) {
        return new ClassifierModel(inputs, classes, maxBatch, false);
    }
}
