package nnc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Generators;
import org.junit.jupiter.api.Test;

/** The classes the Maven plugin generated from src/main/nn, used directly as a user would. */
class GeneratedClassesTest {
    @Test
    void theRegressionClassTrains() {
        Regression model = new Regression();
        assertEquals(128, Regression.MAX_BATCH);
        assertEquals(4353, model.parameterCount());
        model.initialize(0);
        Generators.Split data = Generators.builtin("regression", 0);
        Trainer.Summary s = new Trainer(new Trainer.Config(50, 128, false, 0))
                .train(model, new Sgd(0.1), data.train(), data.validation(), new TrainingListener() {});
        assertTrue(s.finalTrainLoss() < s.initialTrainLoss() / 2, s.initialTrainLoss() + " -> " + s.finalTrainLoss());
    }

    @Test
    void theToyClassComputesTheCourseFunction() {
        Toy toy = new Toy();
        toy.initialize(0);
        toy.x[0] = 2.3f;
        toy.infer(1);
        double f = 0.0 + 0.9 * Math.cos(10.0 + -0.1 * Math.exp(2.0 + -1.0 * Math.sin(1.0 + 1.0 * 2.3)));
        assertEquals(f, toy.f[0], 1e-5);
    }
}
