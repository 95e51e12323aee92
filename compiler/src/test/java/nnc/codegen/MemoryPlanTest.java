package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.Compiler;
import nnc.autodiff.Autodiff;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.RandomGraphs;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.opt.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * Values that share an array are never live at once. (That sharing computes the same numbers is
 * DifferentialTest's job: generated classes, planned, against the interpreter.)
 */
class MemoryPlanTest {
    static final Path SAMPLES = Path.of("../samples/src/main/nn");

    static Graph sample(String name) throws IOException {
        Source source = new Source(name + ".nn", Files.readString(SAMPLES.resolve(name + ".nn")));
        Reporter reporter = new Reporter(null);
        Compiler.Result r = Compiler.compile(source, Compiler.Options.defaults(), reporter);
        assertTrue(r != null, reporter.diagnostics()::toString);
        return r.optimized();
    }

    /**
     * Checks the plan against lifetimes worked out here from the graph alone: a value is written at
     * its position in graph order and read at the positions of the loops that read it (a fused
     * operand's consumer's loop); a value read after the pass (loss, gradients) lives to the end.
     */
    static List<String> overlaps(Graph graph, MemoryPlan plan, int maxBatch) {
        Set<Node> fused = Fusion.plan(graph, true, maxBatch).computedElsewhere();
        Map<Node, Integer> at = graph.positions();
        Map<Node, Integer> lastRead = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            if (!fused.contains(n)) {
                for (Node in : MemoryPlan.operands(n, fused)) {
                    lastRead.merge(in, at.get(n), Math::max);
                }
            }
        }
        List<String> bad = new ArrayList<>();
        for (int s = 0; s < plan.storage().size(); s++) {
            List<Node> sharers = plan.sharers(s);
            for (int i = 0; i < sharers.size(); i++) {
                for (int j = 0; j < sharers.size(); j++) {
                    Node a = sharers.get(i);
                    Node b = sharers.get(j);
                    if (a == b || at.get(a) > at.get(b)) {
                        continue;
                    }
                    boolean readAfterThePass = a == graph.loss() || graph.gradients().containsValue(a);
                    int end = readAfterThePass ? Integer.MAX_VALUE : lastRead.getOrDefault(a, at.get(a));
                    // An elementwise loop may overwrite an operand of its shape that it reads last.
                    boolean inPlace = end == at.get(b) && (b.op().isElementwise() || b.op() == nnc.ir.Op.EXPAND) && a.shape().equals(b.shape())
                            && MemoryPlan.operands(b, fused).contains(a);
                    if (end > at.get(b) || end == at.get(b) && !inPlace) {
                        bad.add(graph.name() + ": " + a + " (live " + at.get(a) + ".." + end + ") and " + b
                                + " (written at " + at.get(b) + ") share array " + s);
                    }
                    if (graph.outputs().containsValue(a) || graph.outputs().containsValue(b)) {
                        bad.add(graph.name() + ": output " + a + " shares array " + s);
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void valuesSharingAnArrayAreNeverLiveAtOnceOnRandomGraphs() {
        List<String> bad = new ArrayList<>();
        int shared = 0;
        for (long seed = 1_000; seed < 1_300; seed++) {
            Graph g = Optimizer.standard().run(Autodiff.differentiate(RandomGraphs.generate(seed)).graph());
            MemoryPlan plan = MemoryPlan.of(g, 5, Precision.FLOAT, true);
            bad.addAll(overlaps(g, plan, 5));
            for (int s = 0; s < plan.storage().size(); s++) {
                shared += plan.sharers(s).size() > 1 ? 1 : 0;
            }
            assertTrue(plan.bytes() <= plan.unplannedBytes());
        }
        assertEquals(List.of(), bad);
        assertTrue(shared > 300, "arrays shared by several values: " + shared); // the check above is not vacuous
    }

    @Test
    void theCourseSamplesShareArraysSafelyAndTheNetworksNeedMuchLess() throws IOException {
        for (String name : List.of("regression", "fashion_mlp", "fashion_dropout", "deep_relu", "cnn", "fashion_cnn")) {
            Graph g = sample(name);
            MemoryPlan plan = MemoryPlan.of(g, 64, Precision.FLOAT, true);
            assertEquals(List.of(), overlaps(g, plan, 64), name);
            long[] values = plan.planned(MemoryPlan.Role.VALUE);
            long[] unplanned = plan.unplanned(MemoryPlan.Role.VALUE);
            // Every sample shares some arrays; the convolutional ones, with many large values, need less than half.
            double limit = name.endsWith("cnn") ? 0.5 : 1;
            assertTrue(values[1] < unplanned[1] * limit, name + ": intermediate values " + values[1] + " of " + unplanned[1]
                    + " bytes");
            assertEquals(plan.bytes(), Limits.memory(g, 64, Precision.FLOAT, true).bytes(), name);
        }
    }

    @Test
    void aValueReadAfterThePassKeepsItsArray() throws IOException {
        // The loss is returned after the backward pass: nothing written during it may take its array.
        Graph g = sample("regression");
        MemoryPlan plan = MemoryPlan.of(g, 128, Precision.FLOAT, true);
        int s = plan.storage(g.loss());
        assertTrue(s >= 0);
        List<Node> sharers = plan.sharers(s);
        assertEquals(g.loss(), sharers.get(sharers.size() - 1), sharers::toString);
    }

    /**
     * SIMD code's scratch includes the panels of the weight gradient's product, which is computed
     * straight into the gradient array: all of dY's 256 x 256 slice for Fashion-MNIST, 256 KiB.
     */
    @Test
    void scratchCountsThePanelsOfAWeightGradient() throws IOException {
        Graph g = sample("fashion_mlp");
        long simd = MemoryPlan.of(g, 256, Precision.FLOAT, true).planned(MemoryPlan.Role.SCRATCH)[1];
        long scalar = MemoryPlan.of(g, 256, Precision.FLOAT, false).planned(MemoryPlan.Role.SCRATCH)[1];
        assertTrue(simd >= 256 * 256, "scratch elements " + simd);
        assertEquals(0, scalar, "scalar code has no panels");
    }
}
