package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every optimiser against its update written out by hand, on f(w) = (w - 3)^2 / 2 (gradient
 * w - 3) from w = 0, two steps each.
 */
class OptimizersTest {
    /** Runs {@code steps} steps of {@code opt} on the quadratic, in double, and returns w after each. */
    static double[] run(Optimizer opt, int steps) {
        double[] w = {0};
        double[] g = {0};
        Parameter p = new Parameter("w", Tensor.of("w", new int[0], w), Tensor.of("g", new int[0], g), Init.zeros(), 1, 1);
        double[] trace = new double[steps];
        for (int s = 0; s < steps; s++) {
            g[0] = w[0] - 3;
            opt.step(List.of(p));
            trace[s] = w[0];
        }
        return trace;
    }

    static void assertSteps(double[] expected, Optimizer opt) {
        double[] actual = run(opt, expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, opt.describe() + " step " + (i + 1));
        }
    }

    @Test
    void sgdWithMomentum() {
        // b1 = g1 = -3, w1 = 0 - 0.1 * -3; g2 = w1 - 3, b2 = 0.9 b1 + g2, w2 = w1 - 0.1 b2
        double w1 = 0.3;
        double b2 = 0.9 * -3 + (w1 - 3);
        assertSteps(new double[] {w1, w1 - 0.1 * b2}, Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9)));
    }

    @Test
    void sgdWithNesterovMomentum() {
        // step 1: b = -3, update g + 0.9 b = -5.7; step 2: g = w1 - 3, b = 0.9 * -3 + g, update g + 0.9 b
        double w1 = 0 - 0.1 * (-3 + 0.9 * -3);
        double g2 = w1 - 3;
        double b2 = 0.9 * -3 + g2;
        assertSteps(new double[] {w1, w1 - 0.1 * (g2 + 0.9 * b2)},
                Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0)));
    }

    @Test
    void sgdWithWeightDecay() {
        double w1 = 0 - 0.1 * (-3 + 0.1 * 0);
        double w2 = w1 - 0.1 * ((w1 - 3) + 0.1 * w1);
        assertSteps(new double[] {w1, w2}, Optimizers.create("sgd", Map.of("lr", 0.1, "weight_decay", 0.1)));
    }

    @Test
    void plainSgdIsTheFastPath() {
        assertInstanceOf(Sgd.class, Optimizers.create("sgd", Map.of("lr", 0.1)));
        assertSteps(new double[] {0.3, 0.3 + 0.1 * 2.7}, Optimizers.create("sgd", Map.of("lr", 0.1)));
    }

    @Test
    void adagrad() {
        double s1 = 9;
        double w1 = 0 + 0.5 * 3 / (Math.sqrt(s1) + 1e-10);
        double g2 = w1 - 3;
        double s2 = s1 + g2 * g2;
        assertSteps(new double[] {w1, w1 - 0.5 * g2 / (Math.sqrt(s2) + 1e-10)}, Optimizers.create("adagrad", Map.of("lr", 0.5)));
    }

    @Test
    void rmsprop() {
        double v1 = 0.01 * 9;
        double w1 = 0 - 0.01 * -3 / (Math.sqrt(v1) + 1e-8);
        double g2 = w1 - 3;
        double v2 = 0.99 * v1 + 0.01 * g2 * g2;
        assertSteps(new double[] {w1, w1 - 0.01 * g2 / (Math.sqrt(v2) + 1e-8)}, Optimizers.create("rmsprop", Map.of()));
    }

    @Test
    void rmspropWithMomentum() {
        double v1 = 0.01 * 9;
        double b1 = -3 / (Math.sqrt(v1) + 1e-8);
        double w1 = 0 - 0.01 * b1;
        double g2 = w1 - 3;
        double v2 = 0.99 * v1 + 0.01 * g2 * g2;
        double b2 = 0.5 * b1 + g2 / (Math.sqrt(v2) + 1e-8);
        assertSteps(new double[] {w1, w1 - 0.01 * b2}, Optimizers.create("rmsprop", Map.of("momentum", 0.5)));
    }

    @Test
    void adam() {
        double m1 = 0.1 * -3;
        double v1 = 0.001 * 9;
        double w1 = 0 - 0.1 * (m1 / 0.1) / (Math.sqrt(v1 / 0.001) + 1e-8);
        double g2 = w1 - 3;
        double m2 = 0.9 * m1 + 0.1 * g2;
        double v2 = 0.999 * v1 + 0.001 * g2 * g2;
        double w2 = w1 - 0.1 * (m2 / (1 - 0.81)) / (Math.sqrt(v2 / (1 - 0.999 * 0.999)) + 1e-8);
        assertSteps(new double[] {w1, w2}, Optimizers.create("adam", Map.of("lr", 0.1)));
    }

    @Test
    void adamwDecaysTheWeightsApartFromTheGradient() {
        double m1 = 0.1 * -3;
        double v1 = 0.001 * 9;
        double w1 = 0 - 0.1 * (m1 / 0.1) / (Math.sqrt(v1 / 0.001) + 1e-8);
        double g2 = w1 - 3; // the gradient does not see the decay
        double decayed = w1 - 0.1 * 0.5 * w1;
        double m2 = 0.9 * m1 + 0.1 * g2;
        double v2 = 0.999 * v1 + 0.001 * g2 * g2;
        double w2 = decayed - 0.1 * (m2 / (1 - 0.81)) / (Math.sqrt(v2 / (1 - 0.999 * 0.999)) + 1e-8);
        assertSteps(new double[] {w1, w2}, Optimizers.create("adamw", Map.of("lr", 0.1, "weight_decay", 0.5)));
    }

    @Test
    void aLargeParameterSplitAmongThreadsIsUpdatedAsSmallOnesAre() {
        // 100,000 elements are split among the Workers threads (one range each); the same elements
        // as 100 parameters of 1,000 are not. Every element must come out bit for bit the same.
        int n = 100_000;
        int chunk = 1_000;
        assertTrue(n >= ElementSplit.MIN_ELEMENTS && chunk < ElementSplit.MIN_ELEMENTS);
        for (String name : Optimizers.names()) {
            float[] w = new float[n];
            float[] g = new float[n];
            List<Parameter> large = List.of(new Parameter("w", Tensor.of("w", new int[] {n}, w), Tensor.of("g", new int[] {n}, g),
                    Init.zeros(), 1, 1));
            float[][] ws = new float[n / chunk][chunk];
            float[][] gs = new float[n / chunk][chunk];
            List<Parameter> small = new java.util.ArrayList<>();
            for (int c = 0; c < n / chunk; c++) {
                small.add(new Parameter("w" + c, Tensor.of("w", new int[] {chunk}, ws[c]), Tensor.of("g", new int[] {chunk}, gs[c]),
                        Init.zeros(), 1, 1));
            }
            Optimizer split = Optimizers.create(name, Map.of());
            Optimizer serial = Optimizers.create(name, Map.of());
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < n; i++) {
                    g[i] = gs[i / chunk][i % chunk] = (float) Math.sin(i * 0.37 + step) * (1 + i % 7);
                }
                split.step(large);
                serial.step(small);
            }
            for (int i = 0; i < n; i++) {
                if (w[i] != ws[i / chunk][i % chunk] || w[i] == 0) {
                    assertEquals(ws[i / chunk][i % chunk], w[i], name + ": element " + i + " after 3 steps");
                    assertTrue(w[i] != 0, name + ": element " + i + " was not updated");
                }
            }
        }
    }

    @Test
    void adamOnVectorsOfElementsIsAdamOnEachElement() {
        // 1,003 elements in one parameter go through AdamLanes, a vector at a time (and 3 alone);
        // as 1,003 parameters of one element, each goes through Adam.update. Bit for bit the same,
        // the moments (doubles) too.
        int n = 1_003;
        List<Map<String, Double>> settings = List.of(Map.of(), Map.of("weight_decay", 0.01), Map.of("lr", 0.01, "beta1", 0.8));
        for (String name : List.of("adam", "adamw")) {
            for (Map<String, Double> args : settings) {
                float[] w = new float[n];
                float[] g = new float[n];
                List<Parameter> whole = List.of(new Parameter("w", Tensor.of("w", new int[] {n}, w), Tensor.of("g", new int[] {n}, g),
                        Init.zeros(), 1, 1));
                float[][] ws = new float[n][1];
                float[][] gs = new float[n][1];
                List<Parameter> single = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    w[i] = ws[i][0] = (float) Math.cos(i * 0.11);
                    single.add(new Parameter("w" + i, Tensor.of("w", new int[] {1}, ws[i]), Tensor.of("g", new int[] {1}, gs[i]),
                            Init.zeros(), 1, 1));
                }
                Optimizer lanes = Optimizers.create(name, args);
                Optimizer scalar = Optimizers.create(name, args);
                for (int step = 0; step < 4; step++) {
                    for (int i = 0; i < n; i++) {
                        g[i] = gs[i][0] = (float) (Math.sin(i * 0.37 + step) * Math.pow(10, i % 9 - 4));
                    }
                    lanes.step(whole);
                    scalar.step(single);
                }
                double[][][] moments = ((StatefulOptimizer) lanes).state();
                double[][][] each = ((StatefulOptimizer) scalar).state();
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(ws[i][0]), Float.floatToIntBits(w[i]),
                            lanes.describe() + ": element " + i + ", " + w[i] + " against " + ws[i][0]);
                    for (int slot = 0; slot < 2; slot++) {
                        assertEquals(Double.doubleToLongBits(each[i][slot][0]), Double.doubleToLongBits(moments[0][slot][i]),
                                lanes.describe() + ": moment " + (slot + 1) + " of element " + i);
                    }
                }
            }
        }
    }

    @Test
    void theSplitRangesCoverEveryElementOnceOn64ByteBoundaries() {
        for (int parts = 1; parts <= 8; parts++) {
            for (int n : new int[] {ElementSplit.MIN_ELEMENTS, 100_000, 784 * 256, 65_537}) {
                assertEquals(0, ElementSplit.start(n, 0, parts));
                assertEquals(n, ElementSplit.start(n, parts, parts));
                for (int part = 1; part < parts; part++) {
                    int start = ElementSplit.start(n, part, parts);
                    assertEquals(0, start % 16, n + " in " + parts + " parts: part " + part + " starts at " + start);
                    assertTrue(start > ElementSplit.start(n, part - 1, parts), n + " in " + parts + " parts: part " + part + " is empty");
                }
            }
        }
    }

    @Test
    void stepsAfterTheFirstAllocateNothing() {
        for (String name : Optimizers.names()) {
            long allocated = allocatedBytes(Optimizers.create(name, Map.of()), 1000, 2000, 10_000);
            assertTrue(allocated < 16_000, name + " allocated " + allocated + " bytes in 10,000 steps");
        }
    }

    @Test
    void stepsSplitAmongThreadsAllocateNothing() {
        for (String name : Optimizers.names()) {
            long allocated = allocatedBytes(Optimizers.create(name, Map.of()), ElementSplit.MIN_ELEMENTS, 50, 500);
            assertTrue(allocated < 4_000, name + " allocated " + allocated + " bytes in 500 steps of a split parameter");
        }
    }

    /** The bytes this thread allocates in {@code steps} steps of {@code opt} on one parameter, after {@code warmUp}. */
    private static long allocatedBytes(Optimizer opt, int size, int warmUp, int steps) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Parameter p = new Parameter("w", Tensor.of("w", new int[] {size}, new float[size]), Tensor.of("g", new int[] {size}, new float[size]),
                Init.zeros(), 1, 1);
        List<Parameter> params = List.of(p);
        for (int i = 0; i < warmUp; i++) {
            opt.step(params);
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < steps; i++) {
            opt.step(params);
        }
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    @Test
    void unknownOptimisersAndArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adamax", Map.of()));
        assertEquals("unknown optimiser adamax (there are: sgd, adagrad, rmsprop, adam, adamw)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", Map.of("momentum", 0.9)));
        assertEquals("adam has no argument momentum (it has: lr, beta1, beta2, eps, weight_decay)", e.getMessage());
    }
}
