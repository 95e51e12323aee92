package nnc.runtime;

import java.util.List;

/**
 * A hand-written classifier for tests, as the compiler would generate one: softmax regression,
 * logits = x W + b over {@code k} classes, loss = mean cross-entropy against the class index in
 * y. Float or double storage; arithmetic through {@link Tensor#get} and {@link Tensor#set}.
 */
final class ClassifierModel implements Model {
    final Tensor x;
    final Tensor y;
    final Tensor logits;
    final Tensor w;
    final Tensor b;
    private final Tensor dw;
    private final Tensor db;
    private final int inputs;
    private final int classes;
    private final int declaredClasses;
    private final int maxBatch;
    private final boolean isDouble;
    private final List<Parameter> params;
    private final List<Tensor> inputList;
    private final List<Tensor> targetList;
    private final List<Tensor> outputList;

    ClassifierModel(int inputs, int classes, int maxBatch, boolean isDouble) {
        this(inputs, classes, maxBatch, isDouble, classes);
    }

    /** {@code declaredClasses} is what {@link #classes()} says, to test models that lie. */
    ClassifierModel(int inputs, int classes, int maxBatch, boolean isDouble, int declaredClasses) {
        this.inputs = inputs;
        this.classes = classes;
        this.declaredClasses = declaredClasses;
        this.maxBatch = maxBatch;
        this.isDouble = isDouble;
        x = batched("x", new int[] {inputs}, maxBatch * inputs);
        y = batched("y", new int[0], maxBatch);
        logits = batched("logits", new int[] {classes}, maxBatch * classes);
        w = fixed("w", new int[] {inputs, classes});
        b = fixed("b", new int[] {classes});
        dw = fixed("w.grad", new int[] {inputs, classes});
        db = fixed("b.grad", new int[] {classes});
        params = List.of(new Parameter("w", w, dw, Init.zeros(), inputs, classes),
                new Parameter("b", b, db, Init.zeros(), 1, classes));
        inputList = List.of(x);
        targetList = List.of(y);
        outputList = List.of(logits);
    }

    private Tensor batched(String name, int[] shape, int length) {
        return isDouble ? Tensor.batched(name, shape, new double[length]) : Tensor.batched(name, shape, new float[length]);
    }

    private Tensor fixed(String name, int[] shape) {
        int length = 1;
        for (int d : shape) {
            length *= d;
        }
        return isDouble ? Tensor.of(name, shape, new double[length]) : Tensor.of(name, shape, new float[length]);
    }

    @Override
    public String name() {
        return "Classifier";
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
        return inputList;
    }

    @Override
    public List<Tensor> targets() {
        return targetList;
    }

    @Override
    public List<Tensor> outputs() {
        return outputList;
    }

    @Override
    public int classes() {
        return declaredClasses;
    }

    @Override
    public void infer(int n) {
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < classes; c++) {
                double z = b.get(c);
                for (int i = 0; i < inputs; i++) {
                    z += x.get(s * inputs + i) * w.get(i * classes + c);
                }
                logits.set(s * classes + c, z);
            }
        }
    }

    /** log sum exp of sample s's logits minus its target's logit. */
    private double crossEntropy(int s) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits.get(s * classes + c));
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits.get(s * classes + c) - max);
        }
        return max + Math.log(sum) - logits.get(s * classes + (int) y.get(s));
    }

    @Override
    public double loss(int n) {
        infer(n);
        double total = 0;
        for (int s = 0; s < n; s++) {
            total += crossEntropy(s);
        }
        return total / n;
    }

    @Override
    public double trainStep(int n) {
        double loss = loss(n);
        dw.fill(0);
        db.fill(0);
        for (int s = 0; s < n; s++) {
            double logSum = crossEntropy(s) + logits.get(s * classes + (int) y.get(s)); // log sum exp
            for (int c = 0; c < classes; c++) {
                double g = (Math.exp(logits.get(s * classes + c) - logSum) - (c == (int) y.get(s) ? 1 : 0)) / n;
                db.set(c, db.get(c) + g);
                for (int i = 0; i < inputs; i++) {
                    dw.set(i * classes + c, dw.get(i * classes + c) + g * x.get(s * inputs + i));
                }
            }
        }
        return loss;
    }
}
