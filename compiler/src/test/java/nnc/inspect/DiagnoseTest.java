package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.Compiler;
import nnc.check.CheckedModel;
import nnc.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** nnc diagnose: the course's activation and gradient statistics at initialisation, and dead units. */
class DiagnoseTest {
    static final Compiler.Options COURSE_DEEP = Compiler.Options.defaults().withSets(List.of("K=50", "D=80"));

    private static List<String> findings(Diagnose.Report r, String prefix) {
        return r.findings().stream().filter(f -> f.startsWith(prefix)).toList();
    }

    @Test
    void normalWeightsExplodeInFiftyLayersOfEighty() {
        CheckedModel m = Models.check(Models.DEEP_RELU, COURSE_DEEP.withInits(List.of("weights=normal(0, 1)")));
        Diagnose.Report r = Diagnose.run(m, new Diagnose.Settings(200, 20, 0, null));
        assertEquals(1, findings(r, "relu [N, 80] activations: explosion: the std grows").size(), r.format());
        assertEquals(1, findings(r, "relu [N, 80] gradients: explosion: the std grows").size(), r.format());
        // Each layer multiplies the std by about sqrt(D / 2) = 6.3 with Normal(0, 1) weights.
        List<Diagnose.Layer> relus = r.layers().stream().filter(l -> l.row().kind().equals("relu")).toList();
        assertEquals(50, relus.size());
        double perLayer = Math.pow(relus.get(49).activationStd() / relus.get(0).activationStd(), 1.0 / 49);
        assertTrue(perLayer > 5 && perLayer < 8, "growth per layer " + perLayer);
    }

    @Test
    void heInitialisationKeepsThemSteady() {
        CheckedModel m = Models.check(Models.DEEP_RELU, COURSE_DEEP);
        Diagnose.Report r = Diagnose.run(m, new Diagnose.Settings(200, 20, 0, null));
        assertEquals(1, findings(r, "relu [N, 80] activations: steady").size(), r.format());
        assertEquals(1, findings(r, "relu [N, 80] gradients: steady").size(), r.format());
        assertTrue(r.findings().stream().noneMatch(f -> f.contains("explosion") || f.contains("vanishing")), r.format());
    }

    /** Five ReLU units of which three can never be positive: 0 x - 1, x1 - 100 and exactly 0. */
    static final String DEAD = """
            model Dead {
              input x: [2]
              target y: [1]
              param w: [2, 5] = values(1, 0, 0, 0, 0,
                                       0, 0, 1, 0, 0)
              param b: [5] = values(0, -1, -100, 0.5, 0)
              h = relu(matmul(x, w) + b)
              output out = dense(h, 1)
              loss mse(out, y)
            }
            """;

    @Test
    void deadUnitsAreCountedPerLayer() {
        Diagnose.Report r = Diagnose.run(Models.check(DEAD), new Diagnose.Settings(300, 10, 0, null));
        Diagnose.Layer h = r.layers().stream().filter(l -> l.row().kind().equals("relu")).findFirst().orElseThrow();
        assertEquals("h", h.row().name());
        assertEquals(3, h.dead(), r.format());
        assertEquals(5, h.units());
        assertEquals(List.of("dead units: 3 of 5 ReLU units (60%) are never positive for any input, in 1 of 1 ReLU layers;"
                + " most in h: 3 of 5"), findings(r, "dead units"));
        // Layers that are not ReLU have no dead units to count.
        assertTrue(r.layers().stream().filter(l -> !l.row().kind().equals("relu")).allMatch(l -> l.dead() == -1));
    }

    @Test
    void givenDataDecideWhichUnitsAreDead() {
        // With x0 always negative, the first unit never fires either.
        int n = 50;
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = -1 - i;
            x[2 * i + 1] = i;
        }
        Dataset data = Dataset.of("negative.csv", java.util.Map.of("x", new Dataset.Column(new int[] {2}, x),
                "y", new Dataset.Column(new int[] {1}, y)));
        Diagnose.Report r = Diagnose.run(Models.check(DEAD), new Diagnose.Settings(1000, 100, 0, data));
        assertEquals(4, r.layers().stream().filter(l -> l.row().kind().equals("relu")).findFirst().orElseThrow().dead());
        assertEquals(n, r.forwardSamples());
        assertEquals(n, r.backwardSamples());
        assertTrue(r.format().contains("the first 50 rows of negative.csv"), r.format());
    }

    @Test
    void gradientsArePerInputAndMatchBackpropagationByHand() {
        // out = v . h + c with h = relu(x w + b): d loss / d out = 2 (out - y) for one input, and the
        // gradient of the hidden layer is that times v where the unit is active.
        CheckedModel m = Models.check("""
                model Small {
                  input x: [1]
                  target y: [1]
                  output out = dense(x, 1, weights: constant(2), biases: constant(1))
                  loss mse(out, y)
                }
                """);
        Diagnose.Report r = Diagnose.run(m, new Diagnose.Settings(1000, 1000, 3, null));
        Diagnose.Layer out = r.layers().get(0);
        // out = 2x + 1 with x ~ N(0, 1): std 2; d loss / d out = 2 (2x + 1 - y) with y ~ N(0, 1): std 2 sqrt(5).
        assertEquals(2, out.activationStd(), 0.15);
        assertEquals(2 * Math.sqrt(5), out.gradientStd(), 0.35);
        assertEquals(List.of("no stack of layers of one kind and shape to compare, and no ReLU units"), r.findings());
    }
}
