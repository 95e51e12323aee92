package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** The class generated from src/main/nn/com/example/line.nn, used directly. */
class LineTest {
    @Test
    void theGeneratedModelLearnsTheLine() {
        double[] x = new double[32];
        double[] y = new double[32];
        for (int i = 0; i < 32; i++) {
            x[i] = i / 16.0 - 1;
            y[i] = 2 * x[i] + 1;
        }
        Dataset data = Dataset.of("line", new java.util.LinkedHashMap<>(Map.of(
                "x", new Dataset.Column(new int[] {1}, x), "y", new Dataset.Column(new int[] {1}, y))));
        Line model = new Line();
        model.initialize(0);
        Trainer.Summary s = new Trainer(new Trainer.Config(200, Line.MAX_BATCH, false, 0))
                .train(model, new Sgd(0.2), data, null, new TrainingListener() {});
        assertTrue(s.finalTrainLoss() < 1e-4 * s.initialTrainLoss(), s.initialTrainLoss() + " -> " + s.finalTrainLoss());
        model.x[0] = 3;
        model.infer(1);
        assertTrue(Math.abs(model.out[0] - 7) < 0.01, "f(3) = " + model.out[0]);
    }
}
