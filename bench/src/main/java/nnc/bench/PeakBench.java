package nnc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One core's fp32 peak, as the JVM reaches it: twelve independent chains of fused multiply-adds on
 * the widest vectors the JVM uses (FloatVector.SPECIES_PREFERRED), enough to cover the FMA units'
 * latency. One operation is one FMA per lane; GFLOP/s = ops/s x 2 x lanes / 1e9, which bench/run's
 * report prints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakBench {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** FMAs per chain per invocation. */
    private static final int ROUNDS = 1_000;
    private static final int CHAINS = 12;

    private final float[] seed = new float[F.length() * 2];

    @Setup
    public void setUp() {
        for (int i = 0; i < seed.length; i++) {
            seed[i] = 1 - 1e-6f * i;
        }
    }

    /** The lanes of the preferred species (reported beside the score, for the arithmetic). */
    public static int lanes() {
        return F.length();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS * CHAINS)
    public float fmaChains() {
        FloatVector a = FloatVector.fromArray(F, seed, 0);
        FloatVector b = FloatVector.fromArray(F, seed, F.length()).mul(1e-3f);
        FloatVector c0 = a, c1 = a.add(1), c2 = a.add(2), c3 = a.add(3), c4 = a.add(4), c5 = a.add(5);
        FloatVector c6 = a.add(6), c7 = a.add(7), c8 = a.add(8), c9 = a.add(9), c10 = a.add(10), c11 = a.add(11);
        // Each chain is an accumulator, as in the generated products (c = a * b + c): with the chain as
        // the multiplicand instead (c = c * a + b) C2's code reached only 51-75 GFLOP/s against 92.
        for (int i = 0; i < ROUNDS; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
