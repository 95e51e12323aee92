package nnc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;
import nnc.runtime.NonFiniteException;
import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** A NaN or infinity in training is traced to the first node that produced it, by name and line. */
class NonFiniteTest {
    static final String BLOWUP = """
            model Blowup {
              input  x: [1]
              target y: [1]
              h = relu(dense(x, 4, weights: constant(1), biases: zeros))
              big = exp(h * 60)
              output out = dense(big, 1, weights: constant(1), biases: zeros)
              loss mse(out, y)
            }
            """;

    @Test
    void theFirstNonFiniteNodeIsNamedWithItsLineInGeneratedAndInterpretedModels() throws Exception {
        Reporter r = new Reporter(null);
        Compiler.Result c = Compiler.compile(new Source("m.nn", BLOWUP),
                Compiler.Options.defaults().withPackage("nnc.nonfinite").withMaxBatch(2), r);
        assertNotNull(c, r.diagnostics()::toString);
        // exp(60 x) overflows float from x = 1.48: the second batch of two holds x = 2.
        double[] x = {0.1, 0.2, 0.3, 2, 0.4, 0.5};
        Map<String, Dataset.Column> data = new LinkedHashMap<>();
        data.put("x", new Dataset.Column(new int[] {1}, x));
        data.put("y", new Dataset.Column(new int[] {1}, new double[x.length]));
        for (Model m : new Model[] {c.load().newModel(), new InterpretedModel(c.optimized(), 2, false)}) {
            m.initialize(0);
            Trainer t = new Trainer(new Trainer.Config(2, 2, false, 0)).explainNonFinite(new NonFinite(c.optimized()));
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> t.train(m, new Sgd(1e-30), Dataset.of("d", data), null, new TrainingListener() {}));
            assertEquals("training stopped at epoch 1, batch 2 of 3: the loss is Infinity; the first non-finite value is "
                    + "Infinity from exp computing 'big' in the forward pass, at m.nn:5: big = exp(h * 60)", e.getMessage());
        }
    }
}
