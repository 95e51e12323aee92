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
        FloatVector m = FloatVector.fromArray(F, seed, 0);
        FloatVector add = FloatVector.fromArray(F, seed, F.length()).mul(1e-7f);
        FloatVector c0 = m, c1 = m.add(1), c2 = m.add(2), c3 = m.add(3), c4 = m.add(4), c5 = m.add(5);
        FloatVector c6 = m.add(6), c7 = m.add(7), c8 = m.add(8), c9 = m.add(9), c10 = m.add(10), c11 = m.add(11);
        for (int i = 0; i < ROUNDS; i++) {
            c0 = c0.fma(m, add);
            c1 = c1.fma(m, add);
            c2 = c2.fma(m, add);
            c3 = c3.fma(m, add);
            c4 = c4.fma(m, add);
            c5 = c5.fma(m, add);
            c6 = c6.fma(m, add);
            c7 = c7.fma(m, add);
            c8 = c8.fma(m, add);
            c9 = c9.fma(m, add);
            c10 = c10.fma(m, add);
            c11 = c11.fma(m, add);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
