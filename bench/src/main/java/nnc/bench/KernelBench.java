package nnc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The shapes of the convolution kernels nnc generates, alone, in the two register blockings each
 * was chosen between: why the filter gradient's dot products go in blocks of 4 filters by 2 taps,
 * and the forward product in blocks of 4 filters by 2 vectors (with 12 sums, the sums and their
 * operands fill all 16 AVX2 registers). Also why short rows are copied with vectors rather than
 * {@code System.arraycopy}. One operation is one sample of cnn's first filter gradient (16 filters,
 * 24 of its 27 taps, the whole blocks of both, padded rows of 1,088: 836 kFLOP), one sample of
 * fashion_cnn's second convolution (16 filters, 144 taps, 216 positions in whole blocks: 995 kFLOP),
 * or the 224 rows of 14 floats of a fashion_cnn sample's second layer.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar KernelBench -f 2 -wi 3 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // cnn's first filter gradient: 3 x 34 x 34 padded image, 16 filters, 27 taps (24 in whole blocks of 2 and 3).
    private static final int F = 16;
    private static final int T = 24;
    private static final int ALONG = 1088;
    private static final int IMAGE = 3 * 34 * 34;
    private static final int[] TAPS = new int[T];

    // fashion_cnn's second convolution: 16 x 16 x 16 padded image, 16 filters, 144 taps.
    private static final int K = 144;
    private static final int COLS = 216;
    private static final int[] OFFSETS = new int[K];

    static {
        for (int k = 0; k < T; k++) {
            TAPS[k] = k / 9 * 34 * 34 + k % 9 / 3 * 34 + k % 3;
        }
        for (int k = 0; k < K; k++) {
            OFFSETS[k] = k / 9 * 256 + k % 9 / 3 * 16 + k % 3;
        }
    }

    private final float[] image = new float[IMAGE + 16];
    private final float[] sums = new float[F * T * 16];
    private final float[] gradient = new float[F * ALONG];
    private final float[] padded = new float[16 * 256 + 64];
    private final float[] weights = new float[F * K];
    private final float[] out = new float[F * COLS];
    private final float[] rows = new float[16 * 14 * 14];
    private final float[] plane = new float[16 * 16 * 16];

    @Setup
    public void setUp() {
        Random r = new Random(1);
        for (float[] a : new float[][] {image, gradient, padded, weights, rows}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextFloat();
            }
        }
    }

    /** The filter gradient's dot products along the rows, blocks of 4 filters by 2 taps (8 sums). */
    @Benchmark
    public float filterGradient4x2() {
        for (int k0 = 0; k0 < ALONG; k0 += 256) {
            int k1 = Math.min(ALONG, k0 + 256);
            for (int flt = 0; flt < F; flt += 4) {
                for (int pos = 0; pos < T; pos += 2) {
                    int t0 = TAPS[pos];
                    int t1 = TAPS[pos + 1];
                    FloatVector c00 = FloatVector.fromArray(S, sums, (flt * T + pos) * L);
                    FloatVector c01 = FloatVector.fromArray(S, sums, (flt * T + pos + 1) * L);
                    FloatVector c10 = FloatVector.fromArray(S, sums, ((flt + 1) * T + pos) * L);
                    FloatVector c11 = FloatVector.fromArray(S, sums, ((flt + 1) * T + pos + 1) * L);
                    FloatVector c20 = FloatVector.fromArray(S, sums, ((flt + 2) * T + pos) * L);
                    FloatVector c21 = FloatVector.fromArray(S, sums, ((flt + 2) * T + pos + 1) * L);
                    FloatVector c30 = FloatVector.fromArray(S, sums, ((flt + 3) * T + pos) * L);
                    FloatVector c31 = FloatVector.fromArray(S, sums, ((flt + 3) * T + pos + 1) * L);
                    for (int k = k0; k < k1; k += L) {
                        FloatVector b0 = FloatVector.fromArray(S, image, t0 + k);
                        FloatVector b1 = FloatVector.fromArray(S, image, t1 + k);
                        FloatVector a0 = FloatVector.fromArray(S, gradient, flt * ALONG + k);
                        c00 = a0.fma(b0, c00);
                        c01 = a0.fma(b1, c01);
                        FloatVector a1 = FloatVector.fromArray(S, gradient, (flt + 1) * ALONG + k);
                        c10 = a1.fma(b0, c10);
                        c11 = a1.fma(b1, c11);
                        FloatVector a2 = FloatVector.fromArray(S, gradient, (flt + 2) * ALONG + k);
                        c20 = a2.fma(b0, c20);
                        c21 = a2.fma(b1, c21);
                        FloatVector a3 = FloatVector.fromArray(S, gradient, (flt + 3) * ALONG + k);
                        c30 = a3.fma(b0, c30);
                        c31 = a3.fma(b1, c31);
                    }
                    c00.intoArray(sums, (flt * T + pos) * L);
                    c01.intoArray(sums, (flt * T + pos + 1) * L);
                    c10.intoArray(sums, ((flt + 1) * T + pos) * L);
                    c11.intoArray(sums, ((flt + 1) * T + pos + 1) * L);
                    c20.intoArray(sums, ((flt + 2) * T + pos) * L);
                    c21.intoArray(sums, ((flt + 2) * T + pos + 1) * L);
                    c30.intoArray(sums, ((flt + 3) * T + pos) * L);
                    c31.intoArray(sums, ((flt + 3) * T + pos + 1) * L);
                }
            }
        }
        return sums[0];
    }

    /** The same in blocks of 4 filters by 3 taps (12 sums). */
    @Benchmark
    public float filterGradient4x3() {
        for (int k0 = 0; k0 < ALONG; k0 += 256) {
            int k1 = Math.min(ALONG, k0 + 256);
            for (int flt = 0; flt < F; flt += 4) {
                for (int pos = 0; pos < T; pos += 3) {
                    int t0 = TAPS[pos];
                    int t1 = TAPS[pos + 1];
                    int t2 = TAPS[pos + 2];
                    FloatVector c00 = FloatVector.fromArray(S, sums, (flt * T + pos) * L);
                    FloatVector c01 = FloatVector.fromArray(S, sums, (flt * T + pos + 1) * L);
                    FloatVector c02 = FloatVector.fromArray(S, sums, (flt * T + pos + 2) * L);
                    FloatVector c10 = FloatVector.fromArray(S, sums, ((flt + 1) * T + pos) * L);
                    FloatVector c11 = FloatVector.fromArray(S, sums, ((flt + 1) * T + pos + 1) * L);
                    FloatVector c12 = FloatVector.fromArray(S, sums, ((flt + 1) * T + pos + 2) * L);
                    FloatVector c20 = FloatVector.fromArray(S, sums, ((flt + 2) * T + pos) * L);
                    FloatVector c21 = FloatVector.fromArray(S, sums, ((flt + 2) * T + pos + 1) * L);
                    FloatVector c22 = FloatVector.fromArray(S, sums, ((flt + 2) * T + pos + 2) * L);
                    FloatVector c30 = FloatVector.fromArray(S, sums, ((flt + 3) * T + pos) * L);
                    FloatVector c31 = FloatVector.fromArray(S, sums, ((flt + 3) * T + pos + 1) * L);
                    FloatVector c32 = FloatVector.fromArray(S, sums, ((flt + 3) * T + pos + 2) * L);
                    for (int k = k0; k < k1; k += L) {
                        FloatVector b0 = FloatVector.fromArray(S, image, t0 + k);
                        FloatVector b1 = FloatVector.fromArray(S, image, t1 + k);
                        FloatVector b2 = FloatVector.fromArray(S, image, t2 + k);
                        FloatVector a0 = FloatVector.fromArray(S, gradient, flt * ALONG + k);
                        c00 = a0.fma(b0, c00);
                        c01 = a0.fma(b1, c01);
                        c02 = a0.fma(b2, c02);
                        FloatVector a1 = FloatVector.fromArray(S, gradient, (flt + 1) * ALONG + k);
                        c10 = a1.fma(b0, c10);
                        c11 = a1.fma(b1, c11);
                        c12 = a1.fma(b2, c12);
                        FloatVector a2 = FloatVector.fromArray(S, gradient, (flt + 2) * ALONG + k);
                        c20 = a2.fma(b0, c20);
                        c21 = a2.fma(b1, c21);
                        c22 = a2.fma(b2, c22);
                        FloatVector a3 = FloatVector.fromArray(S, gradient, (flt + 3) * ALONG + k);
                        c30 = a3.fma(b0, c30);
                        c31 = a3.fma(b1, c31);
                        c32 = a3.fma(b2, c32);
                    }
                    c00.intoArray(sums, (flt * T + pos) * L);
                    c01.intoArray(sums, (flt * T + pos + 1) * L);
                    c02.intoArray(sums, (flt * T + pos + 2) * L);
                    c10.intoArray(sums, ((flt + 1) * T + pos) * L);
                    c11.intoArray(sums, ((flt + 1) * T + pos + 1) * L);
                    c12.intoArray(sums, ((flt + 1) * T + pos + 2) * L);
                    c20.intoArray(sums, ((flt + 2) * T + pos) * L);
                    c21.intoArray(sums, ((flt + 2) * T + pos + 1) * L);
                    c22.intoArray(sums, ((flt + 2) * T + pos + 2) * L);
                    c30.intoArray(sums, ((flt + 3) * T + pos) * L);
                    c31.intoArray(sums, ((flt + 3) * T + pos + 1) * L);
                    c32.intoArray(sums, ((flt + 3) * T + pos + 2) * L);
                }
            }
        }
        return sums[0];
    }

    /** The forward product on padded rows, blocks of 4 filters by 2 vectors, the weights broadcast. */
    @Benchmark
    public float convolution4x2() {
        for (int col = 0; col + 2 * L <= COLS; col += 2 * L) {
            for (int row = 0; row < F; row += 4) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = FloatVector.zero(S);
                FloatVector c10 = FloatVector.zero(S);
                FloatVector c11 = FloatVector.zero(S);
                FloatVector c20 = FloatVector.zero(S);
                FloatVector c21 = FloatVector.zero(S);
                FloatVector c30 = FloatVector.zero(S);
                FloatVector c31 = FloatVector.zero(S);
                for (int k = 0; k < K; k++) {
                    int t = OFFSETS[k] + col;
                    FloatVector b0 = FloatVector.fromArray(S, padded, t);
                    FloatVector b1 = FloatVector.fromArray(S, padded, t + L);
                    FloatVector a0 = FloatVector.broadcast(S, weights[row * K + k]);
                    c00 = a0.fma(b0, c00);
                    c01 = a0.fma(b1, c01);
                    FloatVector a1 = FloatVector.broadcast(S, weights[(row + 1) * K + k]);
                    c10 = a1.fma(b0, c10);
                    c11 = a1.fma(b1, c11);
                    FloatVector a2 = FloatVector.broadcast(S, weights[(row + 2) * K + k]);
                    c20 = a2.fma(b0, c20);
                    c21 = a2.fma(b1, c21);
                    FloatVector a3 = FloatVector.broadcast(S, weights[(row + 3) * K + k]);
                    c30 = a3.fma(b0, c30);
                    c31 = a3.fma(b1, c31);
                }
                c00.intoArray(out, row * COLS + col);
                c01.intoArray(out, row * COLS + col + L);
                c10.intoArray(out, (row + 1) * COLS + col);
                c11.intoArray(out, (row + 1) * COLS + col + L);
                c20.intoArray(out, (row + 2) * COLS + col);
                c21.intoArray(out, (row + 2) * COLS + col + L);
                c30.intoArray(out, (row + 3) * COLS + col);
                c31.intoArray(out, (row + 3) * COLS + col + L);
            }
        }
        return out[0];
    }

    /** The same in blocks of 4 filters by 3 vectors (12 sums), over the 216 positions' whole blocks of 3. */
    @Benchmark
    public float convolution4x3() {
        for (int col = 0; col + 3 * L <= COLS; col += 3 * L) {
            for (int row = 0; row < F; row += 4) {
                FloatVector c00 = FloatVector.zero(S);
                FloatVector c01 = FloatVector.zero(S);
                FloatVector c02 = FloatVector.zero(S);
                FloatVector c10 = FloatVector.zero(S);
                FloatVector c11 = FloatVector.zero(S);
                FloatVector c12 = FloatVector.zero(S);
                FloatVector c20 = FloatVector.zero(S);
                FloatVector c21 = FloatVector.zero(S);
                FloatVector c22 = FloatVector.zero(S);
                FloatVector c30 = FloatVector.zero(S);
                FloatVector c31 = FloatVector.zero(S);
                FloatVector c32 = FloatVector.zero(S);
                for (int k = 0; k < K; k++) {
                    int t = OFFSETS[k] + col;
                    FloatVector b0 = FloatVector.fromArray(S, padded, t);
                    FloatVector b1 = FloatVector.fromArray(S, padded, t + L);
                    FloatVector b2 = FloatVector.fromArray(S, padded, t + 2 * L);
                    FloatVector a0 = FloatVector.broadcast(S, weights[row * K + k]);
                    c00 = a0.fma(b0, c00);
                    c01 = a0.fma(b1, c01);
                    c02 = a0.fma(b2, c02);
                    FloatVector a1 = FloatVector.broadcast(S, weights[(row + 1) * K + k]);
                    c10 = a1.fma(b0, c10);
                    c11 = a1.fma(b1, c11);
                    c12 = a1.fma(b2, c12);
                    FloatVector a2 = FloatVector.broadcast(S, weights[(row + 2) * K + k]);
                    c20 = a2.fma(b0, c20);
                    c21 = a2.fma(b1, c21);
                    c22 = a2.fma(b2, c22);
                    FloatVector a3 = FloatVector.broadcast(S, weights[(row + 3) * K + k]);
                    c30 = a3.fma(b0, c30);
                    c31 = a3.fma(b1, c31);
                    c32 = a3.fma(b2, c32);
                }
                c00.intoArray(out, row * COLS + col);
                c01.intoArray(out, row * COLS + col + L);
                c02.intoArray(out, row * COLS + col + 2 * L);
                c10.intoArray(out, (row + 1) * COLS + col);
                c11.intoArray(out, (row + 1) * COLS + col + L);
                c12.intoArray(out, (row + 1) * COLS + col + 2 * L);
                c20.intoArray(out, (row + 2) * COLS + col);
                c21.intoArray(out, (row + 2) * COLS + col + L);
                c22.intoArray(out, (row + 2) * COLS + col + 2 * L);
                c30.intoArray(out, (row + 3) * COLS + col);
                c31.intoArray(out, (row + 3) * COLS + col + L);
                c32.intoArray(out, (row + 3) * COLS + col + 2 * L);
            }
        }
        return out[0];
    }

    /** A sample's 224 rows of 14 floats into the padded plane with {@code System.arraycopy}. */
    @Benchmark
    public float rowsByArraycopy() {
        for (int chn = 0; chn < 16; chn++) {
            for (int oy = 0; oy < 14; oy++) {
                System.arraycopy(rows, (chn * 14 + oy) * 14, plane, (chn * 16 + oy + 1) * 16 + 1, 14);
            }
        }
        return plane[17];
    }

    /** The same rows with whole vectors, the last ending at the row's end (the generated copyRow). */
    @Benchmark
    public float rowsByVectors() {
        for (int chn = 0; chn < 16; chn++) {
            for (int oy = 0; oy < 14; oy++) {
                copyRow(rows, (chn * 14 + oy) * 14, plane, (chn * 16 + oy + 1) * 16 + 1, 14);
            }
        }
        return plane[17];
    }

    private static void copyRow(float[] from, int at, float[] to, int into, int length) {
        if (length < L) {
            System.arraycopy(from, at, to, into, length);
            return;
        }
        for (int k = 0; k < length - L; k += L) {
            FloatVector.fromArray(S, from, at + k).intoArray(to, into + k);
        }
        FloatVector.fromArray(S, from, at + length - L).intoArray(to, into + length - L);
    }
}
