package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import nnc.Compiler;
import nnc.interp.Differential;
import nnc.interp.InterpretedModel;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;
import org.junit.jupiter.api.Test;

/** What is computed in another node's loop: here, the elementwise operands of sums. */
class FusionTest {
    static final String MODEL = """
            model Norm {
              input x: [3, 6, 10]
              target y: [2]
              init weights he_normal, biases zeros
              n = batchnorm(relu(conv2d(x, 4, 3, padding: 1)))
              output out = dense(flatten(n), 2)
              loss mse(out, y)
            }
            """;

    private static Compiler.Result compile(Precision p) {
        return SimdClasses.compile("norm.nn", MODEL, p);
    }

    /** Every sum whose operand is a product no one else reads computes it in its own loop. */
    @Test
    void sumsComputeTheirOperandsInTheirLoop() {
        Graph graph = compile(Precision.FLOAT).optimized();
        Set<Node> inlined = Fusion.plan(graph, true, 4).inlined();
        List<String> intoSums = graph.nodes().stream()
                .filter(n -> n.op() == Op.SUM && inlined.contains(n.input(0)))
                .map(n -> n.input(0).op().name())
                .collect(Collectors.toList());
        // The variance's squares, the squared errors of mse, and batch norm's backward products.
        assertTrue(intoSums.size() >= 4, intoSums.toString());
        assertTrue(intoSums.contains("MUL"), intoSums.toString());
    }

    @Test
    void fusedSumsAgreeWithTheInterpreter() throws Exception {
        for (Precision p : Precision.values()) {
            Compiler.Result r = compile(p);
            var generated = r.load().newModel();
            var exact = new InterpretedModel(r.optimized(), 4, true);
            int[] batches = {1, 3, 4};
            var bad = p == Precision.DOUBLE ? Differential.compare(generated, exact, batches, 5, 1e-12, 3)
                    : Differential.compareInFloat(generated, new InterpretedModel(r.optimized(), 4, false), exact, batches,
                            5, 1e-5, 3);
            assertEquals(List.of(), bad, p.toString());
        }
    }
}
