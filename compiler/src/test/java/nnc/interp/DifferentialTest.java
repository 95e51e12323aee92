package nnc.interp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.autodiff.Autodiff;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.JavaGenerator;
import nnc.codegen.Precision;
import nnc.ir.Graph;
import nnc.ir.IrPrinter;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.opt.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * Generated code against the interpreter on a few hundred random graphs, in float and double, at
 * batch sizes 1, 3 and the maximum: outputs, loss, gradients and parameters after ten SGD steps
 * agree. A failure prints the seed and the graph; replay one with {@code SEEDS = List.of(seed)}.
 */
class DifferentialTest {
    static final int GRAPHS = 300;
    static final long FIRST_SEED = 1_000;
    static final double FLOAT_TOLERANCE = 1e-5;
    static final double DOUBLE_TOLERANCE = 1e-12;

    record Case(long seed, Graph forward, Graph optimized, int maxBatch) {}

    @Test
    void generatedCodeAgreesWithTheInterpreterOnRandomGraphs() throws Exception {
        List<Case> cases = new ArrayList<>();
        Set<Op> covered = EnumSet.noneOf(Op.class);
        for (long seed = FIRST_SEED; seed < FIRST_SEED + GRAPHS; seed++) {
            Graph forward = RandomGraphs.generate(seed);
            Graph optimized = Optimizer.standard().run(Autodiff.differentiate(forward).graph());
            for (Node n : optimized.nodes()) {
                covered.add(n.op());
            }
            cases.add(new Case(seed, forward, optimized, 3 + (int) (seed % 4)));
        }
        assertTrue(covered.containsAll(EnumSet.complementOf(EnumSet.of(Op.TARGET))) , "ops covered: " + covered);

        List<String> failures = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            // One javac run per 60 graphs: compiling them one by one would take most of the time.
            for (int from = 0; from < cases.size(); from += 60) {
                List<Case> chunk = cases.subList(from, Math.min(cases.size(), from + 60));
                Map<String, String> sources = new LinkedHashMap<>();
                for (Case c : chunk) {
                    String name = "Random" + c.seed() + precision;
                    sources.put("nnc.random." + name, JavaGenerator.generate(c.optimized(),
                            new JavaGenerator.Options("nnc.random", name, precision, c.maxBatch(), "random.nn")).toString());
                }
                Map<String, InMemoryJavac.Compiled> classes = InMemoryJavac.compileAll(sources);
                for (Case c : chunk) {
                    var generated = classes.get("nnc.random.Random" + c.seed() + precision).newModel();
                    var reference = new InterpretedModel(c.optimized(), c.maxBatch(), precision == Precision.DOUBLE);
                    double tolerance = precision == Precision.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
                    var bad = Differential.compare(generated, reference, new int[] {1, 3, c.maxBatch()}, 10, tolerance, c.seed());
                    if (!bad.isEmpty()) {
                        failures.add("seed " + c.seed() + ", " + precision + ": " + bad + "\n" + IrPrinter.print(c.forward()));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + 2 * GRAPHS + " cases disagree:\n"
                + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
    }
}
