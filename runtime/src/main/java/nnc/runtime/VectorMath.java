package nnc.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exponential, sigmoid and tanh of float vectors for generated SIMD code (Java 17's Vector API
 * computes lanewise EXP lane by lane unless the JDK has Intel's SVML stubs, far slower than this).
 * Only code generated with vectors loads this class, so the rest of the runtime needs no
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Error bounds, checked against {@link Math#exp} over every 97th float of the range by
 * {@code VectorMathTest}: {@link #exp} is within 2 ulp of the correctly rounded e^x wherever the
 * result is a normal float (x in [-87.3, 88.7]); above it returns +Infinity, below it a subnormal or
 * zero. {@link #sigmoid} is within 3 ulp everywhere, with 0 and 1 at the ends; {@link #tanh} within
 * 3 ulp, with -1 and 1 at the ends. NaN gives NaN.
 */
public final class VectorMath {
    private VectorMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low bits of the float's mantissa. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** ln 2 split for Cody and Waite's reduction: LN2_HI * n is exact for |n| < 2^9. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Cephes' expf polynomial: e^r = 1 + r + r^2 P(r) for |r| <= ln(2) / 2.
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    // Cephes' tanhf polynomial: tanh(x) = x + x^3 Q(x^2) for |x| < 0.625.
    private static final float Q0 = -5.70498872745e-3f;
    private static final float Q1 = 2.06390887954e-2f;
    private static final float Q2 = -5.37397155531e-2f;
    private static final float Q3 = 1.33314422036e-1f;
    private static final float Q4 = -3.33332819422e-1f;

    /** e^x in every lane. */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> f = x.species();
        // Beyond these e^x is 0 or infinite in float; clamping keeps n small. NaN stays NaN (it
        // compares false). Compare and blend: C2 compiles Java's max/min, with their rules for NaN
        // and -0, to several instructions each (sigmoid over 8,192 floats: 6.7 against 5.8 us).
        FloatVector c = x.blend(-104f, x.compare(VectorOperators.LT, -104f));
        c = c.blend(89f, c.compare(VectorOperators.GT, 89f));
        FloatVector t = c.fma(FloatVector.broadcast(f, LOG2E), FloatVector.broadcast(f, ROUND));
        FloatVector n = t.sub(ROUND);
        FloatVector p = reduced(c, n);
        // 2^n as two factors, so that n from -150 to 129 neither overflows nor underflows the exponent early.
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** e^(x - n ln 2) for the integer n nearest x / ln 2: Cody and Waite's reduction, then Cephes' polynomial. */
    private static FloatVector reduced(FloatVector x, FloatVector n) {
        VectorSpecies<Float> f = x.species();
        FloatVector r = n.fma(FloatVector.broadcast(f, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(f, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(f, P0), FloatVector.broadcast(f, P1));
        p = p.fma(r, FloatVector.broadcast(f, P2));
        p = p.fma(r, FloatVector.broadcast(f, P3));
        p = p.fma(r, FloatVector.broadcast(f, P4));
        p = p.fma(r, FloatVector.broadcast(f, P5));
        return p.fma(r.mul(r), r).add(1f);
    }

    /** 1 / (1 + e^-x) in every lane. */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        return one.div(expNear(x.neg()).add(one));
    }

    /**
     * e^x for x in [-88, 88], x clamped there: 2^n then fits one float's exponent field, so it is
     * made by one shift, where {@link #exp} needs two factors (and Java 17 compiles the integer
     * vector operations slowly: sigmoid over 8,192 floats took 5.8 us with exp, 4.6 with this).
     * Enough for 1 / (1 + e^x) and 2 / (e^x + 1), which are within an ulp of 1 or below the
     * smallest normal float beyond the clamp.
     */
    private static FloatVector expNear(FloatVector x) {
        VectorSpecies<Float> f = x.species();
        FloatVector c = x.blend(-88f, x.compare(VectorOperators.LT, -88f));
        c = c.blend(88f, c.compare(VectorOperators.GT, 88f));
        // The integer n + 127 lands in the low mantissa bits of t: shifted 23 places, the bits of 2^n.
        FloatVector t = c.fma(FloatVector.broadcast(f, LOG2E), FloatVector.broadcast(f, ROUND + 127));
        FloatVector n = t.sub(ROUND + 127);
        FloatVector p = reduced(c, n);
        return p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** tanh(x) in every lane: a polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) with x's sign above. */
    public static FloatVector tanh(FloatVector x) {
        VectorSpecies<Float> f = x.species();
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector q = z.fma(FloatVector.broadcast(f, Q0), FloatVector.broadcast(f, Q1));
        q = q.fma(z, FloatVector.broadcast(f, Q2));
        q = q.fma(z, FloatVector.broadcast(f, Q3));
        q = q.fma(z, FloatVector.broadcast(f, Q4));
        FloatVector small = q.mul(z).fma(x, x);
        FloatVector one = FloatVector.broadcast(f, 1f);
        FloatVector large = one.sub(one.add(one).div(expNear(a.add(a)).add(one)));
        large = large.lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> near = a.compare(VectorOperators.LT, 0.625f);
        return large.blend(small, near);
    }
}
