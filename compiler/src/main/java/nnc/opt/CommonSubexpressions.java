package nnc.opt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Merges nodes that compute the same thing: same op, attributes, shape and (already merged)
 * inputs. The backward pass recomputes many forward expressions, such as {@code sin(x)} twice.
 */
public final class CommonSubexpressions implements Pass {
    @Override
    public String name() {
        return "common-subexpressions";
    }

    @Override
    public Graph run(Graph g) {
        Map<Key, Node> seen = new HashMap<>();
        return Rewriter.rewrite(g, (n, in, b) -> {
            if (n.op() == Op.INPUT || n.op() == Op.TARGET || n.op() == Op.PARAM || n.op() == Op.STATE) {
                return n; // each its own buffer, even when shaped and initialised alike
            }
            if (n.op().kind() == Op.Kind.RANDOM) {
                return b.copy(n, in); // two dropout masks are two draws, never one
            }
            Node candidate = n.inputs().isEmpty() ? n : b.copy(n, in);
            Key key = new Key(n.op(), Double.doubleToLongBits(n.value()), n.transA(), n.transB(),
                    n.shape(), java.util.Arrays.stream(n.ints()).boxed().toList(), in.stream().map(Node::id).toList());
            Node first = seen.putIfAbsent(key, candidate);
            return first == null ? candidate : first;
        });
    }

    private record Key(Op op, long value, boolean transA, boolean transB, nnc.ir.Shape shape, List<Integer> ints,
            List<Long> inputs) {}
}
