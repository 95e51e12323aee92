package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.Compiler;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Max-pooling's index in SIMD code against the interpreter, where it matters most: on ties. The
 * inputs are small integers, so most windows hold equal maxima, and the pool reads {@code x * s}
 * for a parameter {@code s} of ones: the gradient of {@code s} lands on the pixel each window chose,
 * so a window that took another of its equal maxima than the interpreter moves a whole gradient.
 * The shapes reach every path: rows of whole vectors, rows ending in an overlapping vector, rows
 * narrower than a vector (the last lanes run into the next rows) and the sample's last row of those
 * (scalar), odd heights and widths, and a sample smaller than a vector.
 */
class VectorPoolsTest {
    static final int[][] SHAPES = {{2, 28, 28}, {3, 14, 14}, {1, 5, 9}, {2, 6, 40}, {1, 2, 2}, {2, 4, 34}};

    static String model(int[] shape) {
        String dims = shape[0] + ", " + shape[1] + ", " + shape[2];
        return """
                model Pool {
                  input x: [%s]
                  target y: class(2)
                  param s: [%s] = constant(1.0)
                  init weights he_normal, biases zeros
                  p = maxpool2d(x * s, 2)
                  output out = dense(flatten(p), 2)
                  loss cross_entropy(out, y)
                }
                """.formatted(dims, dims);
    }

    private static Compiler.Result compile(String model, Precision p) {
        return SimdClasses.compile("pool.nn", model, p);
    }

    @Test
    void maxPoolIndexTakesTheInterpretersMaximumOnTies() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (Precision p : Precision.values()) {
                Compiler.Result r = compile(model(shape), p);
                assertTrue(r.javaSource().contains("_lanes(soff, "), "the SIMD pool");
                Model generated = r.load().newModel();
                Model interpreted = new InterpretedModel(r.optimized(), 4, p == Precision.DOUBLE);
                for (int batch : new int[] {1, 3, 4}) {
                    generated.initialize(7);
                    interpreted.initialize(7);
                    for (int k = 0; k < generated.parameters().size(); k++) {
                        interpreted.parameters().get(k).value().copyFrom(generated.parameters().get(k).value());
                    }
                    Random random = new Random(batch);
                    Tensor x = generated.inputs().get(0);
                    for (int i = 0; i < batch * x.sampleSize(); i++) {
                        x.set(i, random.nextInt(4) - 1);
                        interpreted.inputs().get(0).set(i, x.get(i));
                    }
                    for (int i = 0; i < batch; i++) {
                        generated.targets().get(0).set(i, i % 2);
                        interpreted.targets().get(0).set(i, i % 2);
                    }
                    generated.trainStep(batch);
                    interpreted.trainStep(batch);
                    Tensor g = generated.parameters().get(0).grad();
                    Tensor e = interpreted.parameters().get(0).grad();
                    assertEquals("s", generated.parameters().get(0).name());
                    double scale = 0;
                    double worst = 0;
                    for (int i = 0; i < g.length(); i++) {
                        scale = Math.max(scale, Math.abs(e.get(i)));
                        worst = Math.max(worst, Math.abs(g.get(i) - e.get(i)));
                    }
                    if (!(scale > 0 && worst <= 1e-5 * scale)) {
                        failures.add(java.util.Arrays.toString(shape) + " " + p + " batch " + batch + ": " + worst
                                + " against a largest gradient of " + scale);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Pools other than 2 x 2 with stride 2 keep the scalar template. */
    @Test
    void otherPoolsKeepTheScalarTemplate() {
        String source = compile(model(new int[] {2, 9, 9}).replace("maxpool2d(x * s, 2)", "maxpool2d(x * s, 3, stride: 2)"),
                Precision.FLOAT).javaSource();
        assertTrue(source.contains("// the position in the sample of each window's first maximum\n"), source);
        assertTrue(!source.contains("_lanes("));
    }
}
