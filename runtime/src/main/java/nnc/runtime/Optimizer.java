package nnc.runtime;

import java.util.List;

/** Updates parameters in place from their gradients, allocating nothing. */
public interface Optimizer {
    void step(List<Parameter> params);

    double learningRate();

    void setLearningRate(double lr);

    /** {@code sgd(lr: 0.1)}. */
    String describe();
}
