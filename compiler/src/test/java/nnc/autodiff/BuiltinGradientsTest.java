package nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every built-in function and loss of the language, compiled from .nn text, against central
 * finite differences in double precision: the rules of the primitive ops compose correctly.
 */
class BuiltinGradientsTest {
    /** An expression of a parameter {@code x: [2, 5]} (and a second, {@code z}) and its value range. */
    record Case(String expression, double lo, double hi) {}

    static final List<Case> CASES = List.of(
            new Case("relu(x)", -2, 2), new Case("leaky_relu(x)", -2, 2), new Case("leaky_relu(x, 0.2)", -2, 2),
            new Case("elu(x)", -2, 2), new Case("elu(x, alpha: 0.5)", -2, 2), new Case("sigmoid(x)", -3, 3),
            new Case("tanh(x)", -3, 3), new Case("softplus(x)", -4, 4), new Case("softsign(x)", -3, 3),
            new Case("swish(x)", -3, 3), new Case("silu(x)", -3, 3), new Case("mish(x)", -3, 3),
            new Case("log_sigmoid(x)", -4, 4), new Case("sinc(x)", -6, 6), new Case("step(x)", -2, 2),
            new Case("gelu(x)", -3, 3), new Case("abs(x)", -2, 2), new Case("softmax(x)", -3, 3),
            new Case("log_softmax(x)", -3, 3), new Case("x^3 - 2 * x / (1 + z^2)", -2, 2),
            new Case("dropout(x, 0)", -2, 2), new Case("exp(sin(x)) * cos(z)", -2, 2), new Case("log(1 + x^2)", -2, 2));

    static String model(String expression) {
        return """
                model G {
                  param x: [2, 5] = normal(0, 1)
                  param z: [2, 5] = normal(0, 1)
                  param r: [2, 5] = normal(0, 1)
                  output out = %s
                  loss sum(out * r)
                }
                """.formatted(expression);
    }

    static final String LOSSES = """
            model L {
              input  x: [4]
              target y: class(3)
              target t: [3]
              param  w: [4, 3] = normal(0, 1)
              output logits = matmul(x, w)
              loss cross_entropy(logits, y) + binary_cross_entropy(logits, t) + l1(logits, t) + mse(logits, t)
            }
            """;

    static Compiler.Result compile(String text) {
        Reporter r = new Reporter(null);
        Compiler.Result result = Compiler.compile(new Source("g.nn", text), Compiler.Options.defaults(), r);
        assertNotNull(result, () -> text + r.diagnostics());
        return result;
    }

    @TestFactory
    Stream<DynamicTest> everyBuiltinMatchesFiniteDifferences() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.expression(), () -> {
            var g = compile(model(c.expression())).optimized();
            for (long seed = 1; seed <= 3; seed++) {
                var bad = GradCheck.check(g, 1, 1e-6, GradCheck.Filler.uniform(seed, c.lo(), c.hi(), 0.05));
                assertTrue(bad.isEmpty(), () -> c.expression() + ": " + bad);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyLossMatchesFiniteDifferences() {
        return Stream.of(DynamicTest.dynamicTest("cross_entropy + binary_cross_entropy + l1 + mse", () -> {
            var g = compile(LOSSES).optimized();
            GradCheck.Filler uniform = GradCheck.Filler.uniform(5, -2, 2, 0.05);
            // Class labels must be whole numbers; everything else is uniform.
            GradCheck.Filler filler = (leaf, i) -> leaf.name().equals("y") ? i % 3 : uniform.value(leaf, i);
            var bad = GradCheck.check(g, 3, 1e-6, filler);
            assertTrue(bad.isEmpty(), () -> bad.toString());
        }));
    }

    /**
     * The image functions from .nn text, batch normalisation's training-mode derivative included:
     * the exact derivative through the batch's mean and variance, which every sample's value enters.
     * Each sample weighs its outputs differently (input r): a loss symmetric in the samples would
     * barely depend on what batch normalisation removes. No bias comes right before a batchnorm: its
     * gradient is exactly 0, which differences resolve only to their rounding noise.
     */
    static final List<String> IMAGES = List.of("""
            model Images {
              input x: [2, 6, 6]
              input r: [27]
              init weights normal(0, 0.5), biases normal(0, 0.5)
              c = conv2d(x, 3, 3, padding: 1, bias: false)
              n = batchnorm(c, eps: 0.01)
              p = maxpool2d(n, 2)
              output out = flatten(p)
              loss sum(out * r)
            }
            """, """
            model Images2 {
              input x: [2, 7, 6]
              input r: [4]
              init weights normal(0, 0.5), biases normal(0, 0.5)
              c = conv2d(x, 3, 3, stride: 2, padding: 1)
              a = avgpool2d(c, 3, stride: 2, padding: 1)
              h = dense(reshape(a, 12), 4, bias: false)
              output out = tanh(batchnorm(h, momentum: 0.5))
              loss sum(out * r)
            }
            """);

    @TestFactory
    Stream<DynamicTest> imageFunctionsMatchFiniteDifferences() {
        return IMAGES.stream().map(text -> DynamicTest.dynamicTest(text.lines().findFirst().orElse(""), () -> {
            var g = compile(text).optimized();
            for (long seed = 1; seed <= 2; seed++) {
                var bad = GradCheck.check(g, 3, 1e-6, GradCheck.Filler.uniform(seed, -2, 2, 0.05));
                assertTrue(bad.isEmpty(), () -> text + bad);
            }
        }));
    }
}
