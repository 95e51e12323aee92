package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratorsTest {
    @Test
    void regressionFollowsTheCoursesCurve() {
        Generators.Split s = Generators.builtin("regression", 0);
        assertEquals(512, s.train().size());
        assertEquals(102, s.validation().size());
        double[] x = s.train().data("x");
        double[] y = s.train().data("y");
        for (int i = 0; i < x.length; i++) {
            assertEquals((x[i] - 2) * Math.cos(4 * x[i]), y[i]);
        }
    }

    @Test
    void theSameSeedGivesTheSameDataAndTheNoisyVariantAddsNoise() {
        assertArrayEquals(Generators.builtin("regression", 3).train().data("x"), Generators.builtin("regression", 3).train().data("x"));
        assertNotEquals(Generators.builtin("regression", 3).train().data("x")[0], Generators.builtin("regression", 4).train().data("x")[0]);
        Dataset noisy = Generators.builtin("regression-noisy", 3).train();
        double[] x = noisy.data("x");
        double[] y = noisy.data("y");
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            double e = y[i] - (x[i] - 2) * Math.cos(4 * x[i]);
            squares += e * e;
        }
        assertEquals(0.5, Math.sqrt(squares / x.length), 0.05);
    }

    @Test
    void theRegressionSetsNameTheirNoiselessCurveAndTheOthersNone() {
        for (String name : new String[] {"regression", "regression-noisy"}) {
            var f = Generators.trueFunction(name).orElseThrow();
            for (double x : new double[] {-2, -0.3, 0, 1.7}) {
                assertEquals((x - 2) * Math.cos(4 * x), f.applyAsDouble(x), name + " at " + x);
            }
        }
        assertTrue(Generators.trueFunction("xor").isEmpty());
        assertTrue(Generators.trueFunction("fashion-mnist").isEmpty());
    }

    @Test
    void toyIsTheCoursesPair() {
        Generators.Split s = Generators.builtin("toy", 0);
        assertArrayEquals(new double[] {2.3}, s.train().data("x"));
        assertArrayEquals(new double[] {2.0}, s.train().data("y"));
        assertNull(s.validation());
    }

    @Test
    void weightDecayHas20TrainingAnd100TestPointsOf200Inputs() {
        Generators.Split s = Generators.builtin("weight-decay", 0);
        assertEquals(20, s.train().size());
        assertEquals(100, s.validation().size());
        assertArrayEquals(new int[] {200}, s.train().shape("x"));
        // y = 0.05 + 0.01 sum x + Normal(0, 0.01^2): the residuals have the noise's deviation.
        double squares = 0;
        for (Dataset d : new Dataset[] {s.train(), s.validation()}) {
            double[] x = d.data("x");
            double[] y = d.data("y");
            for (int i = 0; i < d.size(); i++) {
                double sum = 0.05;
                for (int j = 0; j < 200; j++) {
                    sum += 0.01 * x[i * 200 + j];
                }
                squares += (y[i] - sum) * (y[i] - sum);
            }
        }
        assertEquals(0.01, Math.sqrt(squares / 120), 0.003);
    }

    @Test
    void xorLogisticAndBackpropAreTheCoursesData() {
        Generators.Split xor = Generators.builtin("xor", 0);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, xor.train().data("x"));
        assertArrayEquals(new double[] {0, 1, 1, 0}, xor.train().data("y"));
        Generators.Split logistic = Generators.builtin("logistic", 0);
        assertEquals(200, logistic.train().size());
        assertEquals(100, logistic.validation().size());
        double[] x = logistic.train().data("x");
        double[] y = logistic.train().data("y");
        double ones = 0;
        double side = 0; // points of class 1 lie mostly where x0 + x1 > 0
        for (int i = 0; i < y.length; i++) {
            ones += y[i];
            side += (x[2 * i] + x[2 * i + 1] > 0) == (y[i] == 1) ? 1 : 0;
        }
        assertEquals(100, ones);
        assertEquals(0.92, side / y.length, 0.06);
        Generators.Split backprop = Generators.builtin("backprop", 0);
        assertArrayEquals(new double[] {0.05, 0.10}, backprop.train().data("x"));
        assertArrayEquals(new double[] {0.01, 0.99}, backprop.train().data("y"));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        DataException e = assertThrows(DataException.class, () -> Generators.builtin("mnist", 0));
        assertEquals("builtin:mnist: error[E502]: no such built-in data set (there are: regression, regression-noisy, toy, fashion-mnist, fashion-mnist-images,"
                + " weight-decay, xor, logistic, backprop)", e.getMessage());
    }
}
