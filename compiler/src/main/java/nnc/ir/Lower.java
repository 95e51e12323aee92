package nnc.ir;

import java.util.HashMap;
import java.util.Map;
import nnc.check.CheckedModel;
import nnc.parse.Ast;

/**
 * Lowers a checked model to the IR: every construct of the language becomes the closed set of
 * ops. {@code dense(x, k)} is {@code x . W + b}; {@code mean(x)} is {@code sum(x) / count};
 * {@code mse(a, b)} is {@code mean((a - b)^2)}.
 */
public final class Lower {
    private final CheckedModel model;
    private final GraphBuilder b;
    private final Map<String, Node> names = new HashMap<>();

    private Lower(CheckedModel model) {
        this.model = model;
        this.b = new GraphBuilder(model.name());
    }

    public static Graph lower(CheckedModel model) {
        return new Lower(model).run();
    }

    private Graph run() {
        String file = model.source().path();
        for (CheckedModel.Tensor t : model.inputs()) {
            names.put(t.name(), b.at(origin(file, t.pos())).input(t.name(), t.shape()));
        }
        for (CheckedModel.Tensor t : model.targets()) {
            names.put(t.name(), b.at(origin(file, t.pos())).target(t.name(), t.shape()));
        }
        Map<String, Node> params = new HashMap<>();
        for (CheckedModel.ParamSpec p : model.params()) {
            // Layer parameters come from their call's statement; declared ones from their line.
            Node n = b.at(origin(file, p.pos())).param(p.name(), p.shape(), p.init(), p.fanIn(), p.fanOut());
            params.put(p.name(), n);
            names.put(p.name(), n);
        }
        for (Ast.Decl d : model.ast().decls()) {
            if (d instanceof Ast.Value v) {
                b.at(origin(file, v.pos()));
                Node n = b.label(expr(v.expr(), params), v.name());
                names.put(v.name(), n);
                if (v.output()) {
                    b.output(v.name(), n);
                }
            } else if (d instanceof Ast.Loss l) {
                b.at(origin(file, l.pos()));
                b.loss(expr(l.expr(), params));
            }
        }
        return b.build();
    }

    private static Origin origin(String file, Ast.Pos pos) {
        return new Origin(file, pos.line(), pos.column(), pos.text());
    }

    private Node expr(Ast.Expr e, Map<String, Node> params) {
        if (e instanceof Ast.Num n) {
            return b.constant(n.value());
        } else if (e instanceof Ast.Name n) {
            return names.get(n.name());
        } else if (e instanceof Ast.Neg n) {
            return b.neg(expr(n.operand(), params));
        } else if (e instanceof Ast.Binary x) {
            Node l = expr(x.left(), params);
            return switch (x.op()) {
                case '^' -> b.pow(l, model.exponent(x));
                case '+' -> b.add(l, expr(x.right(), params));
                case '-' -> b.sub(l, expr(x.right(), params));
                case '*' -> b.mul(l, expr(x.right(), params));
                default -> b.div(l, expr(x.right(), params));
            };
        }
        Ast.Call c = (Ast.Call) e;
        switch (c.name()) {
            case "dense" -> {
                CheckedModel.Layer layer = model.layer(c);
                Node x = expr(c.args().get(0), params);
                Node y = b.matmul(x, params.get(layer.weight().name()), false, false);
                return layer.bias() == null ? y : b.add(y, params.get(layer.bias().name()));
            }
            case "matmul" -> {
                return b.matmul(expr(c.args().get(0), params), expr(c.args().get(1), params), false, false);
            }
            case "sum" -> {
                return b.sum(expr(c.args().get(0), params), Shape.scalar());
            }
            case "mean" -> {
                return mean(expr(c.args().get(0), params));
            }
            case "mse" -> {
                Node d = b.sub(expr(c.args().get(0), params), expr(c.args().get(1), params));
                return mean(b.pow(d, 2));
            }
            default -> {
                return b.unary(nnc.check.CheckedModel.elementwiseOp(c.name()), expr(c.args().get(0), params));
            }
        }
    }

    /** The mean over every element, the batch included: the batch size is known only at run time. */
    private Node mean(Node x) {
        Node total = b.mul(b.sum(x, Shape.scalar()), b.constant(1.0 / x.shape().size()));
        return x.shape().batched() ? b.div(total, b.batchSize()) : total;
    }
}
