package nnc.ir;

import java.util.HashMap;
import java.util.List;
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
    private final Map<String, Node> states = new HashMap<>();
    /** How often each layer call has been lowered: inside a repeat, each time is another layer. */
    private final Map<Ast.Call, Integer> occurrences = new java.util.IdentityHashMap<>();
    /** The node of each lowering of each call and definition, for the layer table's rows. */
    private final Map<Ast.Expr, List<Node>> lowered = new java.util.IdentityHashMap<>();
    /** False to lower dropout as the identity: for gradient checks, whose backward pass must not drop. */
    private final boolean dropout;

    private Lower(CheckedModel model, boolean dropout) {
        this.model = model;
        this.dropout = dropout;
        this.b = new GraphBuilder(model.name());
    }

    public static Graph lower(CheckedModel model) {
        return lowering(model, true).graph();
    }

    /**
     * The graph and, for each row of {@link CheckedModel#rows()}, the node computing its value.
     *
     * @param dropout false to leave dropout out, as if every probability were 0
     */
    public static Lowering lowering(CheckedModel model, boolean dropout) {
        Lower l = new Lower(model, dropout);
        Graph g = l.run();
        List<Node> rows = new java.util.ArrayList<>();
        for (CheckedModel.Row r : model.rows()) {
            rows.add(r.expr() == null ? l.names.get(r.params().get(0).name()) : l.lowered.get(r.expr()).get(r.occurrence()));
        }
        return new Lowering(g, rows);
    }

    /** A lowered graph and the node of each row of the model's layer table, in the same order. */
    public record Lowering(Graph graph, List<Node> rows) {
        public Lowering {
            rows = List.copyOf(rows);
        }
    }

    private Graph run() {
        String file = model.source().path();
        for (CheckedModel.Tensor t : model.inputs()) {
            names.put(t.name(), b.at(origin(file, t.pos())).input(t.name(), t.shape()));
        }
        for (CheckedModel.Tensor t : model.targets()) {
            b.at(origin(file, t.pos()));
            names.put(t.name(), t.classes() > 0 ? b.classTarget(t.name(), t.classes()) : b.target(t.name(), t.shape()));
        }
        Map<String, Node> params = new HashMap<>();
        for (CheckedModel.ParamSpec p : model.params()) {
            // Layer parameters come from their call's statement; declared ones from their line.
            Node n = b.at(origin(file, p.pos())).param(p.name(), p.shape(), p.init(), p.fanIn(), p.fanOut());
            params.put(p.name(), n);
            names.put(p.name(), n);
        }
        for (CheckedModel.StateSpec st : model.states()) {
            states.put(st.name(), b.at(origin(file, st.pos())).state(st.name(), st.shape(), st.initial()));
        }
        declarations(model.ast().decls(), params, file);
        return b.build();
    }

    private void declarations(List<Ast.Decl> decls, Map<String, Node> params, String file) {
        for (Ast.Decl d : decls) {
            if (d instanceof Ast.Value v) {
                b.at(origin(file, v.pos()));
                Node n = b.label(expr(v.expr(), params), v.name());
                // The labelled node replaces the one the expression lowered to.
                List<Node> seen = lowered.computeIfAbsent(v.expr(), e -> new java.util.ArrayList<>());
                if (v.expr() instanceof Ast.Call) {
                    seen.set(seen.size() - 1, n);
                } else {
                    seen.add(n);
                }
                names.put(v.name(), n);
                if (v.output()) {
                    b.output(v.name(), n);
                }
            } else if (d instanceof Ast.Repeat r) {
                int count = model.constant(r.count()).intValue();
                for (int i = 0; i < count; i++) {
                    declarations(r.body(), params, file);
                }
            } else if (d instanceof Ast.Loss l) {
                b.at(origin(file, l.pos()));
                Node loss = expr(l.expr(), params);
                b.loss(loss);
                Node penalty = penalty(params);
                if (penalty != null) {
                    b.objective(b.add(loss, penalty));
                }
            }
        }
    }

    /**
     * weight_decay/2 * sum ||w||^2 + l1 * sum |w| over the penalised parameters, or null. The penalty
     * is part of the differentiated objective, so every optimiser sees its exact gradient; the loss
     * reported stays the data loss.
     */
    private Node penalty(Map<String, Node> params) {
        double l2 = model.train().weightDecay();
        double l1 = model.train().l1();
        Node total = null;
        for (CheckedModel.ParamSpec p : model.penalized()) {
            Node w = params.get(p.name());
            Node term = null;
            if (l2 > 0) {
                term = b.mul(b.constant(l2 / 2), b.sum(b.mul(w, w), Shape.scalar()));
            }
            if (l1 > 0) {
                Node t1 = b.mul(b.constant(l1), b.sum(abs(w), Shape.scalar()));
                term = term == null ? t1 : b.add(term, t1);
            }
            total = total == null ? term : b.add(total, term);
        }
        return total;
    }

    private static Origin origin(String file, Ast.Pos pos) {
        return new Origin(file, pos.line(), pos.column(), pos.text());
    }

    private Node expr(Ast.Expr e, Map<String, Node> params) {
        Node n = lowerExpr(e, params);
        if (e instanceof Ast.Call) {
            lowered.computeIfAbsent(e, k -> new java.util.ArrayList<>()).add(n);
        }
        return n;
    }

    private Node lowerExpr(Ast.Expr e, Map<String, Node> params) {
        if (e instanceof Ast.Num n) {
            return b.constant(n.value());
        } else if (e instanceof Ast.Str) {
            throw new IllegalStateException("the checker lets no string through as a value");
        } else if (e instanceof Ast.Name n) {
            return model.isConst(n.name()) ? b.constant(model.constant(n)) : names.get(n.name());
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
                int occurrence = occurrences.merge(c, 1, Integer::sum) - 1;
                CheckedModel.Layer layer = model.layer(c, occurrence);
                Node x = expr(c.args().get(0), params);
                Node y = b.matmul(x, params.get(layer.weight().name()), false, false);
                return layer.bias() == null ? y : b.add(y, params.get(layer.bias().name()));
            }
            case "conv2d" -> {
                int occurrence = occurrences.merge(c, 1, Integer::sum) - 1;
                CheckedModel.Layer layer = model.layer(c, occurrence);
                CheckedModel.Attrs a = model.attrs(c);
                Node y = b.conv2d(expr(c.args().get(0), params), params.get(layer.weight().name()), a.stride(), a.padding());
                if (layer.bias() == null) {
                    return y;
                }
                // One bias per filter, broadcast over the filter's output plane.
                Node bias = params.get(layer.bias().name());
                return b.add(y, b.reshape(bias, Shape.unbatched(bias.shape().dim(0), 1, 1)));
            }
            case "maxpool2d" -> {
                CheckedModel.Attrs a = model.attrs(c);
                Node x = expr(c.args().get(0), params);
                return b.gather(x, b.maxPoolIndex(x, a.kernelH(), a.kernelW(), a.stride(), a.padding()));
            }
            case "avgpool2d" -> {
                CheckedModel.Attrs a = model.attrs(c);
                return b.avgPool(expr(c.args().get(0), params), a.kernelH(), a.kernelW(), a.stride(), a.padding());
            }
            case "flatten", "reshape" -> {
                return b.reshape(expr(c.args().get(0), params), model.attrs(c).shape());
            }
            case "batchnorm" -> {
                int occurrence = occurrences.merge(c, 1, Integer::sum) - 1;
                return batchnorm(expr(c.args().get(0), params), model.layer(c, occurrence), model.attrs(c), params);
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
            case "l1" -> {
                return mean(abs(b.sub(expr(c.args().get(0), params), expr(c.args().get(1), params))));
            }
            case "binary_cross_entropy" -> {
                // Over logits z: softplus(z) - t z, which is -t log(sigmoid(z)) - (1 - t) log(1 - sigmoid(z))
                // without a logarithm of a rounded-off probability.
                Node z = expr(c.args().get(0), params);
                Node t = expr(c.args().get(1), params);
                return mean(b.sub(b.unary(Op.SOFTPLUS, z), b.mul(t, z)));
            }
            case "cross_entropy" -> {
                // -mean(log_softmax(z)[label]): the softmax and its logarithm fused, through log-sum-exp.
                Node z = expr(c.args().get(0), params);
                Node label = expr(c.args().get(1), params);
                Node picked = b.sum(b.mul(b.oneHot(label, z.shape().last()), logSoftmax(z)), Shape.scalar());
                return b.neg(b.div(picked, b.batchSize()));
            }
            case "softmax" -> {
                return b.unary(Op.EXP, logSoftmax(expr(c.args().get(0), params)));
            }
            case "log_softmax" -> {
                return logSoftmax(expr(c.args().get(0), params));
            }
            case "dropout" -> {
                Node x = expr(c.args().get(0), params);
                return dropout ? b.mul(x, b.mask(x, model.constant(c.args().get(1)))) : x;
            }
            default -> {
                if (nnc.check.CheckedModel.isActivation(c.name())) {
                    return activation(c.name(), model.alpha(c), expr(c.args().get(0), params));
                }
                return b.unary(nnc.check.CheckedModel.elementwiseOp(c.name()), expr(c.args().get(0), params));
            }
        }
    }

    /**
     * Batch normalisation from elementwise ops and sums, so that autodiff gives the exact derivative
     * through the batch statistics: per channel, mean and (biased) variance over the batch and the
     * spatial positions; {@code (x - mean) / sqrt(var + eps) * weight + bias}. The statistics pass
     * through RUNNING, which yields them while training and the running ones otherwise.
     */
    private Node batchnorm(Node x, CheckedModel.Layer layer, CheckedModel.Attrs a, Map<String, Node> params) {
        int channels = x.shape().dim(0);
        int positions = x.shape().size() / channels; // per channel per sample: H x W, or 1 for vectors
        Shape perChannel = x.shape().rank() == 3 ? Shape.unbatched(channels, 1, 1) : Shape.unbatched(channels);
        Shape flat = Shape.unbatched(channels);
        Node count = b.mul(b.batchSize(), b.constant(positions));
        Node mean = b.div(b.sum(x, perChannel), count);
        Node centred = b.sub(x, mean);
        Node var = b.div(b.sum(b.mul(centred, centred), perChannel), count);
        Node runningMean = b.running(states.get(layer.states().get(0).name()), b.reshape(mean, flat), a.momentum(), 0);
        Node runningVar = b.running(states.get(layer.states().get(1).name()), b.reshape(var, flat), a.momentum(), positions);
        Node m = b.reshape(runningMean, perChannel);
        Node v = b.reshape(runningVar, perChannel);
        Node normalized = b.mul(b.sub(x, m), b.pow(b.add(v, b.constant(a.eps())), -0.5));
        Node weight = b.reshape(params.get(layer.weight().name()), perChannel);
        Node bias = b.reshape(params.get(layer.bias().name()), perChannel);
        return b.add(b.mul(normalized, weight), bias);
    }

    /** Activations built from the primitive ops; each is differentiated through them. */
    private Node activation(String name, double alpha, Node x) {
        return switch (name) {
            case "leaky_relu" -> b.sub(b.unary(Op.RELU, x), b.mul(b.constant(alpha), b.unary(Op.RELU, b.neg(x))));
            // exp of -relu(-x) never overflows: the exponential only sees x <= 0
            case "elu" -> b.add(b.unary(Op.RELU, x), b.mul(b.constant(alpha),
                    b.sub(b.unary(Op.EXP, b.neg(b.unary(Op.RELU, b.neg(x)))), b.constant(1))));
            case "softplus" -> b.unary(Op.SOFTPLUS, x);
            case "softsign" -> b.div(x, b.add(b.constant(1), abs(x)));
            case "swish", "silu" -> b.mul(x, b.unary(Op.SIGMOID, x));
            case "mish" -> b.mul(x, b.unary(Op.TANH, b.unary(Op.SOFTPLUS, x)));
            case "log_sigmoid" -> b.neg(b.unary(Op.SOFTPLUS, b.neg(x)));
            case "sinc" -> b.unary(Op.SINC, x);
            case "step" -> b.unary(Op.STEP, x);
            case "gelu" -> b.mul(b.mul(b.constant(0.5), x),
                    b.add(b.constant(1), b.unary(Op.ERF, b.mul(x, b.constant(1 / Math.sqrt(2))))));
            case "abs" -> abs(x);
            default -> throw new IllegalArgumentException("no activation " + name);
        };
    }

    /** |x| = relu(x) + relu(-x); its derivative at 0 is 0. */
    private Node abs(Node x) {
        return b.add(b.unary(Op.RELU, x), b.unary(Op.RELU, b.neg(x)));
    }

    /** x - logsumexp(x) along the last axis: never the logarithm of a rounded-off probability. */
    private Node logSoftmax(Node x) {
        return b.sub(x, b.logSumExp(x));
    }

    /** The mean over every element, the batch included: the batch size is known only at run time. */
    private Node mean(Node x) {
        Node total = b.mul(b.sum(x, Shape.scalar()), b.constant(1.0 / x.shape().size()));
        return x.shape().batched() ? b.div(total, b.batchSize()) : total;
    }
}
