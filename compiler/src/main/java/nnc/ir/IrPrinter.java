package nnc.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * Text form of a graph for {@code nnc compile --dump-ir}: one node per line, numbered in
 * topological order, with its .nn label and line.
 *
 * <pre>
 *   %4 = matmul %0, %2          [batch, 64]   ; h1  regression.nn:6
 * </pre>
 */
public final class IrPrinter {
    private IrPrinter() {}

    public static String print(Graph g) {
        Map<Node, Integer> number = new HashMap<>();
        StringBuilder out = new StringBuilder("graph ").append(g.name()).append(" {\n");
        for (Node n : g.nodes()) {
            int id = number.size();
            number.put(n, id);
            StringBuilder line = new StringBuilder("  %").append(id).append(" = ").append(n.op().lower());
            switch (n.op()) {
                case INPUT, TARGET, PARAM -> line.append(' ').append(n.name());
                case STATE -> line.append(' ').append(n.name()).append(" init ").append(Nodes.number(n.value()));
                case RUNNING -> line.append('(').append(Nodes.number(n.value())).append(", ").append(n.ints(0)).append(')');
                case CONST, POW, ONEHOT, MASK -> line.append('(').append(Nodes.number(n.value())).append(')');
                case MATMUL -> line.append(n.transA() ? "(aT" : "(a").append(n.transB() ? ", bT)" : ", b)");
                default -> line.append(Nodes.attributes(n));
            }
            if (n.op() == Op.PARAM) {
                line.append(" init ").append(n.param().init());
            }
            String sep = " ";
            for (Node in : n.inputs()) {
                line.append(sep).append('%').append(number.get(in));
                sep = ", ";
            }
            pad(line, 40).append(n.shape());
            String where = n.origin().where();
            if (n.label() != null || !where.isEmpty()) {
                pad(line, 58).append(';');
                if (n.label() != null) {
                    line.append(' ').append(n.label());
                }
                if (!where.isEmpty()) {
                    line.append("  ").append(where);
                }
            }
            out.append(line).append('\n');
        }
        g.outputs().forEach((name, n) -> out.append("  output ").append(name).append(" = %").append(number.get(n)).append('\n'));
        if (g.loss() != null) {
            out.append("  loss = %").append(number.get(g.loss())).append('\n');
        }
        if (g.objective() != null && g.objective() != g.loss()) {
            out.append("  objective = %").append(number.get(g.objective())).append('\n');
        }
        g.gradients().forEach((name, n) -> out.append("  grad ").append(name).append(" = %").append(number.get(n)).append('\n'));
        return out.append("}\n").toString();
    }

    private static StringBuilder pad(StringBuilder s, int column) {
        s.append(' ');
        while (s.length() < column) {
            s.append(' ');
        }
        return s;
    }
}
