package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Random;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * No name in a .nn file can break or inject into the generated class: models whose names are Java
 * keywords, members of the generated class, or collide after mangling compile without warnings and
 * compute exactly what the same model with plain names computes.
 */
class NameSafetyTest {
    /** Names that are hard for a Java code generator, each a valid .nn identifier. */
    static final List<String> HARD = List.of("class", "int", "new", "this", "return", "n", "i0", "acc", "row", "k",
            "v", "a", "b", "infer", "trainStep", "parameters", "MAX_BATCH", "Math", "List", "Model", "Tensor",
            "h1_weight", "h1_weight_grad", "x_grad", "compute_h1", "gr\u00f6\u00dfe", "\u03c3", "_", "__", "_1",
            "String", "System", "java", "Override", "checkBatch", "null", "true", "var", "record", "_x24", "Float");

    static String model(String[] n) {
        // n: input, target, param, value 1, value 2 (also the name of a layer), output
        return "model " + n[6] + " {\n"
                + "  input " + n[0] + ": [3]\n"
                + "  target " + n[1] + ": [1]\n"
                + "  param " + n[2] + ": [3] = normal(0, 1)\n"
                + "  " + n[3] + " = tanh(" + n[0] + " * " + n[2] + ")\n"
                + "  " + n[4] + " = sigmoid(dense(" + n[3] + ", 4, weights: normal(0, 1), biases: constant(0.1)))\n"
                + "  output " + n[5] + " = dense(" + n[4] + ", 1, weights: normal(0, 1))\n"
                + "  loss mse(" + n[5] + ", " + n[1] + ") // a comment with */ and \\u000a inside\n"
                + "}\n";
    }

    static Model compile(String text) throws Exception {
        Reporter r = new Reporter(null);
        Compiler.Result result = Compiler.compile(new Source("names.nn", text),
                Compiler.Options.defaults().withPackage("nnc.names").withPrecision(Precision.DOUBLE).withMaxBatch(4), r);
        assertNotNull(result, () -> text + r.diagnostics());
        InMemoryJavac.Compiled c = result.load();
        assertEquals(List.of(), c.warnings(), text);
        return c.newModel();
    }

    static double[] run(Model m) {
        m.initialize(11);
        for (int i = 0; i < 4 * 3; i++) {
            m.inputs().get(0).set(i, Math.sin(i));
        }
        for (int i = 0; i < 4; i++) {
            m.targets().get(0).set(i, Math.cos(i));
        }
        double loss = m.trainStep(4);
        double[] out = new double[1 + m.parameters().size()];
        out[0] = loss;
        for (int p = 0; p < m.parameters().size(); p++) {
            out[p + 1] = m.parameters().get(p).grad().get(0);
        }
        return out;
    }

    @Test
    void hardNamesBehaveLikePlainNames() throws Exception {
        // Initialisation is seeded by parameter name, so compare models whose parameters share names
        // but whose inputs, targets, values and the model itself have hard names.
        double[] plain = run(compile(model(new String[] {"x", "y", "w", "h", "g", "out", "Plain"})));
        Random random = new Random(5);
        for (int trial = 0; trial < 25; trial++) {
            String[] n = {pick(random), pick(random), "w", pick(random), "g", "out", pick(random)};
            if (distinct(n)) {
                assertEquals(List.of(boxed(plain)), List.of(boxed(run(compile(model(n))))), String.join(", ", n));
            }
        }
    }

    @Test
    void everyHardNameCompilesInEveryRole() throws Exception {
        for (String hard : HARD) {
            for (int role = 0; role < 7; role++) {
                String[] n = {"x", "y", "w", "h", "g", "out", "M"};
                n[role] = hard;
                if (distinct(n)) {
                    compile(model(n));
                }
            }
        }
    }

    private static String pick(Random r) {
        return HARD.get(r.nextInt(HARD.size()));
    }

    private static boolean distinct(String[] n) {
        return java.util.Arrays.stream(n).distinct().count() == n.length;
    }

    private static Double[] boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Double[]::new);
    }
}
