package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InitTest {
    static Parameter param(int size) {
        return new Parameter("w", Tensor.of("w", new int[] {size}, new float[size]),
                Tensor.of("w.grad", new int[] {size}, new float[size]), Init.zeros(), size, 1);
    }

    @Test
    void normalHasTheRequestedMeanAndDeviation() {
        Parameter p = param(100_000);
        Init.normal(0.5, 2).fill(p, Rng.of(1));
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < p.size(); i++) {
            sum += p.value().get(i);
        }
        double mean = sum / p.size();
        for (int i = 0; i < p.size(); i++) {
            double d = p.value().get(i) - mean;
            squares += d * d;
        }
        assertEquals(0.5, mean, 0.03);
        assertEquals(2, Math.sqrt(squares / p.size()), 0.03);
    }

    @Test
    void constantAndZeros() {
        Parameter p = param(3);
        Init.constant(0.03).fill(p, Rng.of(1));
        assertEquals(0.03f, p.value().floats()[2]);
        Init.zeros().fill(p, Rng.of(1));
        assertEquals(0f, p.value().floats()[0]);
    }

    @Test
    void describedAsTheLanguageWritesThem() {
        assertEquals("normal(0, 1)", Init.normal(0, 1).describe());
        assertEquals("constant(0.03)", Init.constant(0.03).describe());
        assertEquals("zeros", Init.zeros().describe());
    }

    @Test
    void aNegativeDeviationIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.normal(0, -1));
        assertEquals("normal(0.0, -1.0): the mean must be finite and the standard deviation finite and not negative", e.getMessage());
    }
}
