package nnc.opt;

import nnc.ir.Graph;

/**
 * Drops nodes no root needs. A graph only ever holds what its roots reach, so rebuilding it from
 * its roots is the whole pass; it is listed so that the pipeline says what happens.
 */
public final class DeadCode implements Pass {
    @Override
    public String name() {
        return "dead-code";
    }

    @Override
    public Graph run(Graph g) {
        return g.withRoots(g.outputs(), g.loss(), g.objective(), g.gradients());
    }
}
