package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnc.Compiler;
import nnc.interp.Differential;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * The convolutions of SIMD code, matrix products, against the interpreter, on shapes that reach
 * every path: stride 1 on padded rows (widths that are not a multiple of a vector, filters and
 * channels that are not a multiple of 4 or of the 16 the filter gradient pads to, more than 256
 * taps, so the product's depth is blocked, kernels of 1, 2 and 5), and im2col (stride 2; a 1x1
 * kernel with padding, whose input gradient cannot be a convolution on padded rows), and rows long
 * enough for the filter gradient's dot products along them (filters and taps that are not whole
 * blocks).
 */
class ConvolutionKernelsTest {
    static final List<String> MODELS = List.of("""
            model Odd {
              input x: [1, 7, 13]
              target y: class(3)
              init weights he_normal, biases zeros
              c1 = relu(conv2d(x, 5, 3, padding: 1))
              c2 = relu(conv2d(c1, 20, 3, padding: 1))
              output out = dense(flatten(c2), 3)
              loss cross_entropy(out, y)
            }
            """, """
            model Deep {
              input x: [33, 6, 9]
              target y: class(2)
              init weights he_normal, biases zeros
              c1 = tanh(conv2d(x, 6, 3))
              c2 = conv2d(c1, 3, 2, padding: 1)
              output out = dense(flatten(c2), 2)
              loss cross_entropy(out, y)
            }
            """, """
            model Strided {
              input x: [3, 11, 10]
              target y: class(2)
              init weights he_normal, biases normal(0, 0.1)
              c1 = tanh(conv2d(x, 4, 5, padding: 2))
              c2 = conv2d(c1, 9, 1, padding: 1)
              c3 = conv2d(c2, 3, 3, stride: 2, padding: 1)
              output out = dense(flatten(c3), 2)
              loss cross_entropy(out, y)
            }
            """, """
            model Wide {
              input x: [2, 20, 30]
              target y: class(2)
              init weights he_normal, biases zeros
              c1 = relu(conv2d(x, 5, 3, padding: 1))
              c2 = conv2d(c1, 3, 2, padding: 1)
              output out = dense(flatten(c2), 2)
              loss cross_entropy(out, y)
            }
            """);

    private static Compiler.Result compile(String model, Precision p) {
        return SimdClasses.compile("conv.nn", model, p);
    }

    @Test
    void productConvolutionsAgreeWithTheInterpreter() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String model : MODELS) {
            for (Precision p : Precision.values()) {
                Compiler.Result r = compile(model, p);
                assertTrue(r.javaSource().contains("// each sample padded ("), "stride 1 on padded rows");
                Model generated = r.load().newModel();
                Model exact = new InterpretedModel(r.optimized(), 4, true);
                int[] batches = {1, 3, 4};
                var bad = p == Precision.DOUBLE ? Differential.compare(generated, exact, batches, 5, 1e-12, 11)
                        : Differential.compareInFloat(generated, new InterpretedModel(r.optimized(), 4, false), exact,
                                batches, 5, 1e-5, 11);
                if (!bad.isEmpty()) {
                    failures.add(model.lines().findFirst().orElse("") + " " + p + ": " + bad);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** The generated code says which form each convolution took. */
    @Test
    void eachConvolutionSaysItsForm() {
        assertTrue(compile(MODELS.get(0), Precision.FLOAT).javaSource().contains("// a convolution of the gradient, padded by"),
                "input gradient on padded rows");
        String source = compile(MODELS.get(2), Precision.FLOAT).javaSource();
        assertTrue(source.contains("// im2col: each sample's windows as a matrix"), "stride 2: im2col");
        assertTrue(source.contains("// the windows' gradient"), "1x1 kernel with padding 1: its input gradient by col2im");
        assertTrue(source.contains("// im2col transposed"), "stride 2's filter gradient");
        source = compile(MODELS.get(3), Precision.FLOAT).javaSource();
        assertTrue(source.contains("its gradient laid out on the same rows [5 filters, 640 positions]"), "c1: 640 >= 512");
        assertTrue(source.contains("its gradient laid out on the same rows [3 filters, 672 positions]"), "c2: 21 rows of 32");
    }
}
