package nnc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Adam}'s update of a float parameter, a vector of elements at a time: the same operations
 * in the same order as {@link Adam#update}, in double, each rounded as the scalar one is (no fused
 * multiply-add), so the results are the same to the bit. One element at a time, its two divisions
 * and square root bound the loop (some 7 ns an element); four lanes share them. Loaded only when
 * the JVM has resolved {@code jdk.incubator.vector}: {@link Adam} checks.
 */
final class AdamLanes {
    private AdamLanes() {}

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as {@link #DOUBLES} has lanes. */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.length() * 32));

    /** Updates elements from {@code from} in whole vectors; returns the first element it left for the scalar loop. */
    static int update(double[] m, double[] v, float[] w, float[] g, int from, int to, double lr, double beta1, double beta2,
            double eps, double weightDecay, boolean decoupled, double correction1, double correction2) {
        int lanes = DOUBLES.length();
        int i = from;
        for (; i + lanes <= to; i += lanes) {
            DoubleVector wi = (DoubleVector) FloatVector.fromArray(FLOATS, w, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector gi = (DoubleVector) FloatVector.fromArray(FLOATS, g, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
            if (decoupled) {
                wi = wi.sub(wi.mul(lr * weightDecay));
            } else {
                gi = gi.add(wi.mul(weightDecay));
            }
            DoubleVector mi = DoubleVector.fromArray(DOUBLES, m, i).mul(beta1).add(gi.mul(1 - beta1));
            DoubleVector vi = DoubleVector.fromArray(DOUBLES, v, i).mul(beta2).add(gi.mul(1 - beta2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            DoubleVector step = mi.div(correction1).mul(lr).div(vi.div(correction2).sqrt().add(eps));
            ((FloatVector) wi.sub(step).convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(w, i);
        }
        return i;
    }
}
