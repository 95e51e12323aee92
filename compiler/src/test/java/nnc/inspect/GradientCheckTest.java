package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.Compiler;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Rng;
import nnc.runtime.Tensor;
import org.junit.jupiter.api.Test;

/** nnc gradcheck: backpropagation against central finite differences, as the course checks it. */
class GradientCheckTest {
    static final GradientCheck.Settings SETTINGS = GradientCheck.Settings.defaults();

    /** Compiles in double without dropout, initialises with seed 0 and checks on 8 random samples. */
    static GradientCheck.Report check(String text, Compiler.Options options, GradientCheck.Settings s) {
        Compiler.Result r = Models.compileForGradcheck(text, options);
        Model m = Models.load(r);
        m.initialize(0);
        Samples.random(m, 8, 0, "gradcheck");
        return GradientCheck.run(m, 8, s, GradientCheck.penalty(r.model()));
    }

    static void assertPasses(String text, Compiler.Options options) {
        GradientCheck.Report r = check(text, options, SETTINGS);
        assertTrue(r.passed(), r.format());
        assertTrue(r.checked() > 0);
    }

    @Test
    void theDeepReluNetworkPassesWithEitherInitialisation() {
        assertPasses(Models.DEEP_RELU, Compiler.Options.defaults());
        assertPasses(Models.DEEP_RELU, Compiler.Options.defaults().withSets(List.of("K=8", "D=10"))
                .withInits(List.of("weights=normal(0, 1)")));
    }

    @Test
    void everyKindOfModelPasses() {
        assertPasses(Models.REGRESSION, Compiler.Options.defaults());
        assertPasses("""
                model Toy {
                  input x: []
                  target y: []
                  param b0: [] = constant(1.0)
                  param w0: [] = constant(1.0)
                  param w1: [] = constant(-1.0)
                  param w3: [] = constant(0.9)
                  output f = w3 * cos(exp(w1 * sin(b0 + w0 * x)))
                  loss mean((f - y)^2)
                }
                """, Compiler.Options.defaults());
        // A classifier with dropout, and leaky ReLU, trained with weight decay and an L1 penalty:
        // the check must add the penalty to the loss, as training does.
        assertPasses("""
                model Classifier {
                  input x: [5]
                  target y: class(3)
                  h = dropout(leaky_relu(dense(x, 7)), 0.5)
                  output logits = dense(softplus(h), 3)
                  loss cross_entropy(logits, y)
                  train { weight_decay 3  l1 0.1 }
                }
                """, Compiler.Options.defaults().withInits(List.of("weights=normal(0, 0.5)", "biases=normal(0, 0.5)")));
    }

    @Test
    void dropoutLeftInWouldFailTheCheck() {
        // Why gradcheck compiles without dropout: the training step drops units, the loss does not.
        String text = """
                model Dropped {
                  input x: [4]
                  target y: [1]
                  output out = dense(dropout(dense(x, 16), 0.5), 1)
                  loss mse(out, y)
                }
                """;
        Compiler.Result withDropout = Compiler.compile(new nnc.diag.Source("d.nn", text),
                Compiler.Options.defaults().withPrecision(nnc.codegen.Precision.DOUBLE), new nnc.diag.Reporter(null));
        Model m = Models.load(withDropout);
        m.initialize(0);
        Samples.random(m, 8, 0, "gradcheck");
        assertFalse(GradientCheck.run(m, 8, SETTINGS, x -> 0).passed());
        assertPasses(text, Compiler.Options.defaults());
    }

    @Test
    void aWrongGradientFailsAndIsNamed() {
        Model real = Models.load(Models.compileForGradcheck(Models.DEEP_RELU, Compiler.Options.defaults()));
        real.initialize(0);
        Samples.random(real, 8, 0, "gradcheck");
        // One element of one gradient off by 0.1%: backpropagation with a bug in one place.
        Model wrong = new Wrong(real, "h.3.weight", 17, 1.001);
        GradientCheck.Report r = GradientCheck.run(wrong, 8, new GradientCheck.Settings(1e-6, 1e-5, 1e-8, 5000, 0), m -> 0);
        assertFalse(r.passed());
        assertEquals(1, r.failed(), r.format());
        GradientCheck.ParamResult bad = r.params().stream().filter(p -> !p.passed()).findFirst().orElseThrow();
        assertEquals("h.3.weight", bad.name());
        assertEquals(17, bad.worst());
        assertEquals(36, bad.checked());
        assertTrue(r.format().contains("FAILED: 1 of 187 elements in 1 parameter disagree\n  h.3.weight[17]: backpropagation"),
                r.format());
        // The same model without the fault passes: the failure is the fault's.
        assertTrue(GradientCheck.run(real, 8, SETTINGS, m -> 0).passed());
    }

    @Test
    void largeParametersAreSampled() {
        GradientCheck.Report r = check(Models.REGRESSION, Compiler.Options.defaults(), new GradientCheck.Settings(1e-6, 1e-5, 1e-8, 10, 0));
        assertEquals(List.of(10, 10, 10, 10, 10, 1), r.params().stream().map(GradientCheck.ParamResult::checked).toList());
        int[] chosen = GradientCheck.elements(4096, 100, Rng.of(1));
        assertEquals(100, java.util.Arrays.stream(chosen).distinct().count());
        for (int i = 1; i < chosen.length; i++) {
            assertTrue(chosen[i - 1] < chosen[i]);
        }
        assertTrue(chosen[99] >= 100, "drawn from the whole parameter, not its start");
    }

    /** A model whose backpropagation is wrong in one element: the check must catch it. */
    private record Wrong(Model real, String param, int index, double factor) implements Model {
        @Override
        public double trainStep(int n) {
            double loss = real.trainStep(n);
            Tensor g = real.parameter(param).grad();
            g.set(index, g.get(index) * factor);
            return loss;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public int maxBatch() {
            return real.maxBatch();
        }

        @Override
        public boolean isDouble() {
            return real.isDouble();
        }

        @Override
        public List<Parameter> parameters() {
            return real.parameters();
        }

        @Override
        public List<Tensor> inputs() {
            return real.inputs();
        }

        @Override
        public List<Tensor> targets() {
            return real.targets();
        }

        @Override
        public List<Tensor> outputs() {
            return real.outputs();
        }

        @Override
        public void infer(int n) {
            real.infer(n);
        }

        @Override
        public double loss(int n) {
            return real.loss(n);
        }
    }
}
