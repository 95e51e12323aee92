package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {
    @Test
    void stepsAgainstTheGradientInFloatAndDouble() {
        float[] wf = {1, 2};
        Parameter f = new Parameter("f", Tensor.of("f", new int[] {2}, wf), Tensor.of("g", new int[] {2}, new float[] {0.5f, -1}),
                Init.zeros(), 1, 1);
        double[] wd = {1, 2};
        Parameter d = new Parameter("d", Tensor.of("d", new int[] {2}, wd), Tensor.of("g", new int[] {2}, new double[] {0.5, -1}),
                Init.zeros(), 1, 1);
        new Sgd(0.1).step(List.of(f, d));
        assertArrayEquals(new float[] {0.95f, 2.1f}, wf);
        assertArrayEquals(new double[] {0.95, 2.1}, wd, 1e-15);
    }

    @Test
    void theLearningRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN));
    }
}
