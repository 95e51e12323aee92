package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void toyIsTheCoursesPair() {
        Generators.Split s = Generators.builtin("toy", 0);
        assertArrayEquals(new double[] {2.3}, s.train().data("x"));
        assertArrayEquals(new double[] {2.0}, s.train().data("y"));
        assertNull(s.validation());
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        DataException e = assertThrows(DataException.class, () -> Generators.builtin("mnist", 0));
        assertEquals("builtin:mnist: no such built-in data set (there are: regression, regression-noisy, toy, fashion-mnist, fashion-mnist-images)", e.getMessage());
    }
}
