package nnc.autodiff;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * Every op's derivative, once, in one table (like PyTorch's derivatives.yaml). A rule gets the
 * forward node {@code y = op(x0, x1, ...)}, the gradient {@code g} of the loss with respect to
 * {@code y}, and returns the gradient contribution for each input, built from ordinary IR ops.
 * A null contribution means "zero". Contributions may have the broadcast shape of {@code y}: the
 * driver sums them down to each input's shape, so rules need not know about broadcasting.
 */
public final class Derivatives {
    private Derivatives() {}

    /** A derivative rule: {@code (y, g, builder) -> [dL/dx0, dL/dx1, ...]}. */
    @FunctionalInterface
    public interface Rule {
        List<Node> apply(Node y, Node g, GraphBuilder b);
    }

    private static final Map<Op, Rule> RULES = new EnumMap<>(Op.class);

    static {
        // y = -x                      dx = -g
        rule(Op.NEG, (y, g, b) -> List.of(b.neg(g)));
        // y = exp(x)                  dx = g * y
        rule(Op.EXP, (y, g, b) -> List.of(b.mul(g, y)));
        // y = log(x)                  dx = g / x
        rule(Op.LOG, (y, g, b) -> List.of(b.div(g, x(y))));
        // y = sin(x)                  dx = g * cos(x)
        rule(Op.SIN, (y, g, b) -> List.of(b.mul(g, b.unary(Op.COS, x(y)))));
        // y = cos(x)                  dx = -(g * sin(x))
        rule(Op.COS, (y, g, b) -> List.of(b.neg(b.mul(g, b.unary(Op.SIN, x(y))))));
        // y = tanh(x)                 dx = g * (1 - y^2)
        rule(Op.TANH, (y, g, b) -> List.of(b.mul(g, b.sub(b.constant(1), b.pow(y, 2)))));
        // y = sigmoid(x)              dx = g * y * (1 - y)
        rule(Op.SIGMOID, (y, g, b) -> List.of(b.mul(g, b.mul(y, b.sub(b.constant(1), y)))));
        // y = relu(x)                 dx = g * step(y), which is step(x): reading the output leaves x
        //                             dead after the forward pass (and lets x W + b, relu be one loop)
        rule(Op.RELU, (y, g, b) -> List.of(b.mul(g, b.unary(Op.STEP, y))));
        // y = step(x)                 dx = 0 (almost everywhere)
        rule(Op.STEP, (y, g, b) -> zero());
        // y = softplus(x)             dx = g * sigmoid(x)
        rule(Op.SOFTPLUS, (y, g, b) -> List.of(b.mul(g, b.unary(Op.SIGMOID, x(y)))));
        // y = erf(x)                  dx = g * 2/sqrt(pi) * exp(-x^2)
        rule(Op.ERF, (y, g, b) -> List.of(b.mul(g, b.mul(b.constant(2 / Math.sqrt(Math.PI)),
                b.unary(Op.EXP, b.neg(b.pow(x(y), 2)))))));
        // y = sinc(x)                 dx = g * dsinc(x)
        rule(Op.SINC, (y, g, b) -> List.of(b.mul(g, b.unary(Op.DSINC, x(y)))));
        // y = dsinc(x) = (cos x - sinc x) / x    dx = g * (-sinc(x) - 2 y / x); undefined at exactly 0,
        // which only a second derivative of sinc would reach
        rule(Op.DSINC, (y, g, b) -> List.of(b.mul(g, b.sub(b.neg(b.unary(Op.SINC, x(y))),
                b.div(b.mul(b.constant(2), y), x(y))))));
        // y = x^c                     dx = g * c * x^(c-1)
        rule(Op.POW, (y, g, b) -> List.of(b.mul(g, b.mul(b.constant(y.value()), b.pow(x(y), y.value() - 1)))));
        // y = a + b                   da = g, db = g
        rule(Op.ADD, (y, g, b) -> List.of(g, g));
        // y = a - b                   da = g, db = -g
        rule(Op.SUB, (y, g, b) -> List.of(g, b.neg(g)));
        // y = a * b                   da = g * b, db = g * a
        rule(Op.MUL, (y, g, b) -> List.of(b.mul(g, y.input(1)), b.mul(g, y.input(0))));
        // y = a / b                   da = g / b, db = -(g * y) / b
        rule(Op.DIV, (y, g, b) -> List.of(b.div(g, y.input(1)), b.neg(b.div(b.mul(g, y), y.input(1)))));
        // y = op(A) . op(B), op = identity or transpose; no transpose is ever materialised.
        rule(Op.MATMUL, Derivatives::matmul);
        // y = sum(x) down to y's shape  dx = expand(g) back to x's shape
        rule(Op.SUM, (y, g, b) -> List.of(b.expand(g, x(y).shape())));
        // y = expand(x) up to y's shape dx = sum(g) down to x's shape
        rule(Op.EXPAND, (y, g, b) -> List.of(b.sum(g, x(y).shape())));
        // y = logsumexp(x) on the last axis   dx = g * exp(x - y) = g * softmax(x)
        rule(Op.LOGSUMEXP, (y, g, b) -> List.of(b.mul(g, b.unary(Op.EXP, b.sub(x(y), y)))));
        // y = onehot(indices): indices are data, not differentiable
        rule(Op.ONEHOT, (y, g, b) -> zero());
        // y = mask(x): depends on x's shape only
        rule(Op.MASK, (y, g, b) -> zero());

        // The convolutions are one trilinear form T(x, w, g) = <conv2d(x, w), g> read three ways, so
        // each one's derivatives are the other two:
        // y = conv2d(x, w)              dx = conv2d_t(g, w)          dw = conv2d_filter(x, g)
        rule(Op.CONV2D, (y, g, b) -> List.of(b.conv2dT(g, y.input(1), stride(y), padding(y), x(y).shape()),
                b.conv2dFilter(x(y), g, stride(y), padding(y), y.input(1).shape())));
        // y = conv2d_t(h, w)            dh = conv2d(g, w)            dw = conv2d_filter(g, h)
        rule(Op.CONV2D_T, (y, g, b) -> List.of(b.conv2d(g, y.input(1), stride(y), padding(y)),
                b.conv2dFilter(g, x(y), stride(y), padding(y), y.input(1).shape())));
        // y = conv2d_filter(x, h)       dx = conv2d_t(h, g)          dh = conv2d(x, g)
        rule(Op.CONV2D_FILTER, (y, g, b) -> List.of(b.conv2dT(y.input(1), g, stride(y), padding(y), x(y).shape()),
                b.conv2d(x(y), g, stride(y), padding(y))));
        // y = maxpool_index(x): positions, piecewise constant in x
        rule(Op.MAXPOOL_INDEX, (y, g, b) -> zero());
        // y = gather(x, i)              dx = scatter(g, i)           (i is not differentiable)
        rule(Op.GATHER, (y, g, b) -> Arrays.asList(b.scatter(g, y.input(1), x(y).shape()), null));
        // y = scatter(h, i)             dh = gather(g, i)
        rule(Op.SCATTER, (y, g, b) -> Arrays.asList(b.gather(g, y.input(1)), null));
        // y = avgpool(x)                dx = avgpool_t(g)
        rule(Op.AVGPOOL, (y, g, b) -> List.of(b.avgPoolT(g, y.ints(0), y.ints(1), y.ints(2), y.ints(3), x(y).shape())));
        // y = avgpool_t(h)              dh = avgpool(g)
        rule(Op.AVGPOOL_T, (y, g, b) -> List.of(b.avgPool(g, y.ints(0), y.ints(1), y.ints(2), y.ints(3))));
        // y = reshape(x)                dx = reshape(g) back to x's shape
        rule(Op.RESHAPE, (y, g, b) -> List.of(b.reshape(g, x(y).shape())));
        // y = running(state, stat): the training step computes y = stat, so dstat = g; the state is
        // not differentiated (its update is a side effect of training)
        rule(Op.RUNNING, (y, g, b) -> Arrays.asList(null, g));
    }

    private static int stride(Node conv) {
        return conv.ints(0);
    }

    private static int padding(Node conv) {
        return conv.ints(1);
    }

    private static List<Node> matmul(Node y, Node g, GraphBuilder b) {
        Node a = y.input(0);
        Node c = y.input(1);
        boolean ta = y.transA();
        boolean tb = y.transB();
        if (!ta && !tb) { // Y = A.B      dA = G.B^T    dB = A^T.G
            return List.of(b.matmul(g, c, false, true), b.matmul(a, g, true, false));
        } else if (!ta) { // Y = A.B^T    dA = G.B      dB = G^T.A
            return List.of(b.matmul(g, c, false, false), b.matmul(g, a, true, false));
        } else if (!tb) { // Y = A^T.B    dA = B.G^T    dB = A.G
            return List.of(b.matmul(c, g, false, true), b.matmul(a, g, false, false));
        } else { //          Y = A^T.B^T  dA = B^T.G^T  dB = G^T.A^T
            return List.of(b.matmul(c, g, true, true), b.matmul(g, a, true, true));
        }
    }

    private static Node x(Node y) {
        return y.input(0);
    }

    private static List<Node> zero() {
        return Collections.singletonList(null);
    }

    private static void rule(Op op, Rule r) {
        if (RULES.put(op, r) != null) {
            throw new AssertionError("two derivative rules for " + op);
        }
    }

    /** The rule for {@code op}; fails loudly, naming the op, if it has none. */
    public static Rule of(Op op) {
        Rule r = RULES.get(op);
        if (r == null) {
            throw new IllegalStateException("no derivative rule for op " + op.lower());
        }
        return r;
    }

    /** Ops that have a rule: every op with inputs. */
    public static List<Op> differentiable() {
        return Arrays.stream(Op.values()).filter(RULES::containsKey).toList();
    }
}
