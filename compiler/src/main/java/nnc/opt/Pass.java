package nnc.opt;

import nnc.ir.Graph;

/** One named graph-to-graph rewrite. */
public interface Pass {
    String name();

    Graph run(Graph g);
}
