package nnc.opt;

import java.util.List;
import nnc.ir.Graph;

/** The optimisation pipeline: a fixed list of passes, repeated until the graph stops shrinking. */
public final class Optimizer {
    private static final int MAX_ROUNDS = 10;

    private final List<Pass> passes;

    public Optimizer(List<Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** Constant folding, then common-subexpression elimination, then dead-code elimination. */
    public static Optimizer standard() {
        return new Optimizer(List.of(new ConstantFolding(), new CommonSubexpressions(), new DeadCode()));
    }

    public List<Pass> passes() {
        return passes;
    }

    public Graph run(Graph g) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int before = g.nodes().size();
            for (Pass p : passes) {
                g = p.run(g);
            }
            if (g.nodes().size() >= before) {
                break;
            }
        }
        return g;
    }
}
