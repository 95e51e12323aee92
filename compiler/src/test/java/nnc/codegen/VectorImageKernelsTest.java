package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.Differential;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * The SIMD convolutions against the interpreter and against the scalar code, on shapes that reach
 * every part of the templates: widths that are not a multiple of a vector (the position loop's
 * overrun), a filter count that is not a multiple of the block (single planes), one input channel,
 * a 5x5 kernel (the filter gradient a kernel row at a time), padding 2, stride 2 beside them (the
 * scalar direct form), at batch 1 and more.
 */
class VectorImageKernelsTest {
    /** Images of awkward sizes; each network has conv2d, its input gradient and its filter gradient. */
    static final List<String> MODELS = List.of("""
            model Odd {
              input x: [1, 7, 13]
              target y: class(3)
              init weights he_normal, biases zeros
              c1 = relu(conv2d(x, 5, 3, padding: 1))
              c2 = relu(conv2d(c1, 6, 3, padding: 1))
              output out = dense(flatten(c2), 3)
              loss cross_entropy(out, y)
            }
            """, """
            model Wide {
              input x: [3, 9, 21]
              target y: class(2)
              init weights he_normal, biases zeros
              c1 = tanh(conv2d(x, 4, 5, padding: 2))
              c2 = conv2d(c1, 9, 1)
              c3 = conv2d(c2, 3, 2, stride: 2)
              output out = dense(flatten(c3), 2)
              loss cross_entropy(out, y)
            }
            """);

    /** The model in SIMD code with SIMD convolutions ({@code nnc.convolution=simd}), or in scalar code. */
    private static Compiler.Result compile(String model, Precision p, boolean vector) {
        Reporter reporter = new Reporter(null);
        System.setProperty("nnc.convolution", "simd");
        Compiler.Result r;
        try {
            r = Compiler.compile(new Source("conv.nn", model),
                    Compiler.Options.defaults().withMaxBatch(4).withPrecision(p).withVector(vector), reporter);
        } finally {
            System.clearProperty("nnc.convolution");
        }
        assertTrue(r != null, () -> reporter.diagnostics().toString());
        return r;
    }

    @Test
    void simdConvolutionsAgreeWithTheInterpreter() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String model : MODELS) {
            for (Precision p : Precision.values()) {
                Compiler.Result r = compile(model, p, true);
                assertTrue(r.javaSource().contains("// SIMD, on padded rows"), "the SIMD form is generated");
                Model generated = r.load().newModel();
                Model interpreted = new InterpretedModel(r.optimized(), 4, p == Precision.DOUBLE);
                var bad = Differential.compare(generated, interpreted, new int[] {1, 3, 4}, 5,
                        p == Precision.DOUBLE ? 1e-12 : 1e-5, 11);
                if (!bad.isEmpty()) {
                    failures.add(model.lines().findFirst().orElse("") + " " + p + ": " + bad);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Convolutions only, from an odd width: the output is the last convolution's. */
    static final String CONVOLUTIONS = """
            model Convs {
              input x: [2, 6, 11]
              target y: [462]
              init weights he_normal, biases normal(0, 0.1)
              c1 = relu(conv2d(x, 5, 3, padding: 1))
              c2 = conv2d(c1, 7, 3, padding: 1)
              output out = flatten(c2)
              loss mse(out, y)
            }
            """;

    /** conv2d adds the same terms in the same order as the scalar code: the outputs agree to the bit. */
    @Test
    void simdConvolutionIsTheScalarOneToTheBit() throws Exception {
        for (String model : List.of(CONVOLUTIONS)) {
            Model simd = compile(model, Precision.FLOAT, true).load().newModel();
            Model scalar = compile(model, Precision.FLOAT, false).load().newModel();
            simd.initialize(3);
            scalar.initialize(3);
            Random random = new Random(5);
            for (int i = 0; i < simd.inputs().get(0).length(); i++) {
                double v = 2 * random.nextDouble() - 1;
                simd.inputs().get(0).set(i, v);
                scalar.inputs().get(0).set(i, v);
            }
            for (int batch : new int[] {1, 4}) {
                simd.infer(batch);
                scalar.infer(batch);
                var a = simd.outputs().get(0);
                var b = scalar.outputs().get(0);
                for (int i = 0; i < batch * a.sampleSize(); i++) {
                    assertEquals(b.get(i), a.get(i), 0.0, "output " + i + " at batch " + batch);
                }
            }
        }
    }
}
