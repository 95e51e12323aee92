package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
import org.junit.jupiter.api.Test;

/** Numerics of the generated float code at the edges: huge inputs, zero, dropout's extremes. */
class NumericsTest {
    static Model compile(String text, Precision precision) throws Exception {
        Reporter r = new Reporter(null);
        Compiler.Result result = Compiler.compile(new Source("n.nn", text),
                Compiler.Options.defaults().withPackage("nnc.numerics").withPrecision(precision), r);
        assertNotNull(result, () -> r.diagnostics().toString());
        Model m = result.load().newModel();
        m.initialize(1);
        return m;
    }

    static void assertFinite(Tensor t, int n) {
        for (int i = 0; i < n * t.sampleSize(); i++) {
            assertTrue(Double.isFinite(t.get(i)), t.name() + "[" + i + "] = " + t.get(i));
        }
    }

    @Test
    void stableFormsDoNotOverflowInFloatUpTo1e4() throws Exception {
        Model m = compile("""
                model N {
                  input x: [4]
                  target y: class(4)
                  param s: [4] = constant(1)
                  output logits = x * s
                  output a = softplus(logits)
                  output b = log_sigmoid(logits)
                  output c = log_softmax(logits)
                  output d = softmax(logits)
                  loss cross_entropy(logits, y) + mean(a) - mean(b) + binary_cross_entropy(logits, x / 2e4 + 0.5)
                  train { batch 2 }
                }
                """, Precision.FLOAT);
        float[] x = m.inputs().get(0).floats();
        float[] values = {1e4f, -1e4f, 0f, 3f, -1e4f, 1e4f, -1e4f, 1e4f};
        System.arraycopy(values, 0, x, 0, 8);
        m.targets().get(0).set(0, 1); // the class with logit -1e4: the loss is huge but finite
        m.targets().get(0).set(1, 0);
        double loss = m.trainStep(2);
        assertTrue(Double.isFinite(loss), "loss " + loss);
        for (Tensor t : m.outputs()) {
            assertFinite(t, 2);
        }
        assertFinite(m.parameter("s").grad(), 1);
        assertEquals(1e4, m.outputs().get(1).get(0), 1); // softplus(1e4) = 1e4
        assertEquals(-1e4, m.outputs().get(2).get(1), 1); // log_sigmoid(-1e4) = -1e4
        assertEquals(0, m.outputs().get(3).get(0), 1e-6); // log_softmax of the largest logit
        assertTrue(loss > 1e4 && loss < 1e5, "a wrong class by a margin of 2e4 costs about 1e4 per sample: " + loss);
    }

    @Test
    void sincIsOneWithZeroDerivativeAtZero() throws Exception {
        Model m = compile("""
                model S {
                  param x: [3] = zeros
                  output out = sinc(x)
                  loss sum(out)
                }
                """, Precision.FLOAT);
        m.parameter("x").value().set(1, 1e-20);
        m.parameter("x").value().set(2, 3.14159274f);
        m.trainStep(1);
        Tensor out = m.outputs().get(0);
        assertEquals(1.0, out.get(0));
        assertEquals(1.0, out.get(1));
        assertEquals(0.0, out.get(2), 1e-6);
        assertEquals(0.0, m.parameter("x").grad().get(0), 0.0);
        assertEquals(-1 / Math.PI, m.parameter("x").grad().get(2), 1e-6); // cos(pi)/pi
    }

    @Test
    void stepHasZeroDerivative() throws Exception {
        Model m = compile("""
                model T {
                  param x: [3] = uniform(-1, 1)
                  output out = step(x) * 2
                  loss sum(out)
                }
                """, Precision.DOUBLE);
        m.trainStep(1);
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, m.parameter("x").grad().get(i), 0.0);
        }
    }

    static final String DROPOUT = """
            model D {
              input x: [50]
              target y: [50]
              output out = dropout(x, %s)
              loss mse(out, y)
              train { batch 4 }
            }
            """;

    @Test
    void dropoutIsActiveOnlyInTrainingAndScalesTheSurvivors() throws Exception {
        Model m = compile(DROPOUT.formatted("0.5"), Precision.FLOAT);
        m.inputs().get(0).fill(1);
        m.infer(4);
        float[] first = m.outputs().get(0).floats().clone();
        m.infer(4);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(m.outputs().get(0).floats()));
        for (int i = 0; i < 200; i++) {
            assertEquals(1f, first[i]); // inference never drops
        }
        m.trainStep(4);
        float[] trained = m.outputs().get(0).floats();
        int zeros = 0;
        for (int i = 0; i < 200; i++) {
            assertTrue(trained[i] == 0f || trained[i] == 2f, "kept values are scaled by 1 / (1 - p): " + trained[i]);
            zeros += trained[i] == 0f ? 1 : 0;
        }
        assertTrue(zeros > 60 && zeros < 140, zeros + " of 200 dropped with p = 0.5");
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(trained));
    }

    @Test
    void dropoutIsReproducibleFromTheSeed() throws Exception {
        Model a = compile(DROPOUT.formatted("0.3"), Precision.FLOAT);
        Model b = compile(DROPOUT.formatted("0.3"), Precision.FLOAT);
        a.initialize(7);
        b.initialize(7);
        a.inputs().get(0).fill(1);
        b.inputs().get(0).fill(1);
        a.trainStep(4);
        b.trainStep(4);
        assertEquals(java.util.Arrays.toString(a.outputs().get(0).floats()), java.util.Arrays.toString(b.outputs().get(0).floats()));
    }

    @Test
    void dropoutOfZeroKeepsEverythingAndOfOneDropsEverything() throws Exception {
        for (String p : new String[] {"0", "1"}) {
            Model m = compile(DROPOUT.formatted(p), Precision.FLOAT);
            m.inputs().get(0).fill(1);
            m.targets().get(0).fill(0);
            double loss = m.trainStep(4);
            float expected = p.equals("0") ? 1f : 0f;
            for (int i = 0; i < 200; i++) {
                assertEquals(expected, m.outputs().get(0).floats()[i]);
            }
            assertEquals(expected, loss, 1e-6);
        }
    }
}
