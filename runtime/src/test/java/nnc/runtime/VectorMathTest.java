package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The error bounds VectorMath documents, over a dense sweep of floats (every 8191st bit pattern,
 * half a million values of every sign and magnitude, plus every float in [-1, 1] spaced 2^-16 apart)
 * against Math's double-precision functions, correctly rounded to float.
 */
class VectorMathTest {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** The worst error in ulp of float where the exact result is a normal float; elsewhere the absolute error must stay below the smallest normal. */
    private static long worstUlps(UnaryOperator<FloatVector> f, DoubleUnaryOperator exact) {
        float[] in = new float[F.length()];
        float[] out = new float[F.length()];
        long worst = 0;
        int filled = 0;
        long step = 8191;
        long sweep = 0x1_0000_0000L / step + (2L << 16) + 1;
        for (long i = 0; i < sweep; i++) {
            in[filled++] = i < 0x1_0000_0000L / step ? Float.intBitsToFloat((int) (i * step))
                    : (float) (-1 + (i - 0x1_0000_0000L / step) * 0x1p-16);
            if (filled < in.length && i + 1 < sweep) {
                continue;
            }
            f.apply(FloatVector.fromArray(F, in, 0)).intoArray(out, 0);
            for (int k = 0; k < filled; k++) {
                worst = Math.max(worst, ulps(in[k], out[k], exact.applyAsDouble(in[k])));
            }
            filled = 0;
        }
        return worst;
    }

    private static long ulps(float x, float got, double exact) {
        float want = (float) exact;
        if (Float.isNaN(want)) {
            assertTrue(Float.isNaN(got), "NaN expected at " + x + ", got " + got);
            return 0;
        }
        if (Math.abs(exact) < Float.MIN_NORMAL) {
            assertTrue(Math.abs(got - exact) < Float.MIN_NORMAL, "at " + x + ": " + got + " vs " + exact);
            return 0;
        }
        if (Float.isInfinite(want)) {
            assertEquals(want, got, "at " + x);
            return 0;
        }
        assertTrue(Float.isFinite(got), "at " + x + ": " + got + " vs " + want);
        return Math.abs((long) Float.floatToIntBits(got) - Float.floatToIntBits(want));
    }

    @Test
    void expIsWithinTwoUlps() {
        long worst = worstUlps(VectorMath::exp, Math::exp);
        assertTrue(worst <= 2, "exp: " + worst + " ulp");
    }

    @Test
    void sigmoidIsWithinThreeUlps() {
        long worst = worstUlps(VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)));
        assertTrue(worst <= 3, "sigmoid: " + worst + " ulp");
    }

    @Test
    void tanhIsWithinThreeUlps() {
        long worst = worstUlps(VectorMath::tanh, Math::tanh);
        assertTrue(worst <= 3, "tanh: " + worst + " ulp");
    }

    @Test
    void endsAndSpecialValues() {
        float[] x = new float[F.length()];
        float[] specials = {Float.NEGATIVE_INFINITY, -1e4f, -0f, 0f, 1e4f, Float.POSITIVE_INFINITY, Float.NaN, 88.7f};
        for (int i = 0; i < x.length; i++) {
            x[i] = specials[i % specials.length];
        }
        FloatVector v = FloatVector.fromArray(F, x, 0);
        for (int i = 0; i < x.length; i++) {
            float e = (float) Math.exp(x[i]);
            assertEquals(e, VectorMath.exp(v).lane(i), Float.isFinite(e) ? Math.ulp(e) * 2 : 0, "exp " + x[i]);
            assertEquals((float) (1 / (1 + Math.exp(-x[i]))), VectorMath.sigmoid(v).lane(i), 0x1p-24f, "sigmoid " + x[i]);
            assertEquals((float) Math.tanh(x[i]), VectorMath.tanh(v).lane(i), 0x1p-24f, "tanh " + x[i]);
        }
    }
}
