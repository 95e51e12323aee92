package nnc.opt;

import java.util.List;
import nnc.ir.Elementwise;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * Evaluates ops whose inputs are all constants and removes identities ({@code x * 1},
 * {@code x + 0}, {@code x^1}, {@code -(-x)}, an expand or sum to the same shape). Differentiation
 * produces many of these: the seed gradient is the constant 1.
 */
public final class ConstantFolding implements Pass {
    @Override
    public String name() {
        return "constant-folding";
    }

    @Override
    public Graph run(Graph g) {
        return Rewriter.rewrite(g, ConstantFolding::fold);
    }

    static Node fold(Node n, List<Node> in, GraphBuilder b) {
        Shape shape = n.shape();
        switch (n.op().kind()) {
            case UNARY -> {
                Node x = in.get(0);
                if (x.isConst() && x.shape().equals(shape)) {
                    return b.constant(Elementwise.unary(n.op(), x.value(), n.value()), shape);
                }
                if (n.op() == Op.POW && n.value() == 1) {
                    return x;
                }
                if (n.op() == Op.POW && n.value() == 0) {
                    return b.constant(1, shape);
                }
                if (n.op() == Op.NEG && x.op() == Op.NEG) {
                    return x.input(0);
                }
            }
            case BINARY -> {
                Node x = in.get(0);
                Node y = in.get(1);
                if (x.isConst() && y.isConst()) {
                    return b.constant(Elementwise.binary(n.op(), x.value(), y.value()), shape);
                }
                // A broadcast operand needs no explicit expand: the elementwise loop broadcasts it.
                if (x.op() == Op.EXPAND && shape.equals(Shape.broadcast(x.input(0).shape(), y.shape()))) {
                    return b.binary(n.op(), x.input(0), y);
                }
                if (y.op() == Op.EXPAND && shape.equals(Shape.broadcast(x.shape(), y.input(0).shape()))) {
                    return b.binary(n.op(), x, y.input(0));
                }
                boolean xFull = x.shape().equals(shape);
                boolean yFull = y.shape().equals(shape);
                switch (n.op()) {
                    case ADD -> {
                        if (y.isConst(0) && xFull) {
                            return x;
                        }
                        if (x.isConst(0) && yFull) {
                            return y;
                        }
                    }
                    case SUB -> {
                        if (y.isConst(0) && xFull) {
                            return x;
                        }
                        if (x.isConst(0) && yFull) {
                            return b.neg(y);
                        }
                    }
                    case MUL -> {
                        if (y.isConst(1) && xFull) {
                            return x;
                        }
                        if (x.isConst(1) && yFull) {
                            return y;
                        }
                        if (y.isConst(-1) && xFull) {
                            return b.neg(x);
                        }
                        if (x.isConst(-1) && yFull) {
                            return b.neg(y);
                        }
                    }
                    case DIV -> {
                        if (y.isConst(1) && xFull) {
                            return x;
                        }
                    }
                    default -> {}
                }
            }
            case MOVE, REDUCE -> {
                Node x = in.get(0);
                if (x.shape().equals(shape)) {
                    return x;
                }
                if (x.isConst() && n.op() == Op.EXPAND) {
                    return b.constant(x.value(), shape);
                }
                if (x.isConst() && n.op() == Op.SUM && (x.shape().batched() == shape.batched())) {
                    // Every output element sums the same number of equal inputs.
                    return b.constant(x.value() * (x.shape().size() / shape.size()), shape);
                }
            }
            case LAYOUT -> {
                Node x = in.get(0);
                if (x.shape().equals(shape)) {
                    return x;
                }
                if (x.op() == Op.RESHAPE) {
                    return b.reshape(x.input(0), shape); // one reshape of the original does it
                }
                if (x.isConst()) {
                    return b.constant(x.value(), shape);
                }
            }
            default -> {}
        }
        return b.copy(n, in);
    }
}
