package nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule of the derivative table against central finite differences in double precision.
 * Each case builds {@code loss = sum(op(...) * r)} with random parameters as operands and a random
 * weighting {@code r}, so every element of the op's gradient matters.
 */
class DerivativesTest {
    private static final double TOLERANCE = 1e-6;
    private static final int BATCH = 3;

    /** A case: a name, the op it exercises, how to build y from a builder, and the value range. */
    record Case(String name, Op op, Function<GraphBuilder, Node> build, double lo, double hi) {}

    private static final InitSpec ZEROS = new InitSpec("zeros");

    static Node p(GraphBuilder b, String name, int... dims) {
        return b.param(name, Shape.unbatched(dims), ZEROS, 1, 1);
    }

    /** A batched operand that still has a gradient: an input scaled by a parameter. */
    static Node batched(GraphBuilder b, String name, int... dims) {
        return b.mul(b.input(name + "_in", Shape.batched(dims)), p(b, name, dims));
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Op op : List.of(Op.NEG, Op.EXP, Op.SIN, Op.COS, Op.TANH, Op.SIGMOID, Op.RELU, Op.STEP, Op.SOFTPLUS,
                Op.ERF, Op.SINC, Op.DSINC)) {
            cases.add(new Case(op.lower() + " [3, 4]", op, b -> b.unary(op, p(b, "x", 3, 4)), -2, 2));
            cases.add(new Case(op.lower() + " [batch, 4]", op, b -> b.unary(op, batched(b, "x", 4)), -2, 2));
        }
        cases.add(new Case("log [3, 4]", Op.LOG, b -> b.unary(Op.LOG, p(b, "x", 3, 4)), 0.2, 3));
        cases.add(new Case("log [batch, 4]", Op.LOG, b -> b.unary(Op.LOG, batched(b, "x", 4)), 0.3, 2));
        for (double c : new double[] {2, 3, -1, 0.5, 1.7, -2.5}) {
            cases.add(new Case("pow " + c, Op.POW, b -> b.pow(p(b, "x", 2, 3), c), 0.3, 2));
        }
        cases.add(new Case("pow 2 [batch, 3]", Op.POW, b -> b.pow(batched(b, "x", 3), 2), -2, 2));
        for (Op op : List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV)) {
            double lo = op == Op.DIV ? 0.5 : -2;
            cases.add(new Case(op.lower() + " same", op, b -> b.binary(op, p(b, "a", 3, 4), p(b, "b", 3, 4)), lo, 2));
            cases.add(new Case(op.lower() + " row", op, b -> b.binary(op, p(b, "a", 3, 4), p(b, "b", 4)), lo, 2));
            cases.add(new Case(op.lower() + " scalar", op, b -> b.binary(op, p(b, "a"), p(b, "b", 3, 4)), lo, 2));
            cases.add(new Case(op.lower() + " outer", op, b -> b.binary(op, p(b, "a", 3, 1), p(b, "b", 1, 4)), lo, 2));
            cases.add(new Case(op.lower() + " batch+bias", op,
                    b -> b.binary(op, batched(b, "a", 4), p(b, "b", 4)), lo, 2));
            cases.add(new Case(op.lower() + " batch+matrix", op,
                    b -> b.binary(op, batched(b, "a", 2, 4), p(b, "b", 2, 4)), lo, 2));
            cases.add(new Case(op.lower() + " batch*batch", op,
                    b -> b.binary(op, batched(b, "a", 2, 1), batched(b, "b", 3)), lo, 2));
        }
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String f = (ta ? "aT" : "a") + "." + (tb ? "bT" : "b");
                cases.add(new Case("matmul " + f, Op.MATMUL, b -> b.matmul(
                        ta ? p(b, "a", 4, 3) : p(b, "a", 3, 4), tb ? p(b, "b", 5, 4) : p(b, "b", 4, 5), ta, tb), -1, 1));
            }
        }
        cases.add(new Case("matmul [batch, 4].[4, 5]", Op.MATMUL,
                b -> b.matmul(batched(b, "x", 4), p(b, "w", 4, 5), false, false), -1, 1));
        cases.add(new Case("matmul [batch, 2, 4].[4, 5]", Op.MATMUL,
                b -> b.matmul(batched(b, "x", 2, 4), p(b, "w", 4, 5), false, false), -1, 1));
        cases.add(new Case("matmul [batch, 4]^T.[batch, 5]", Op.MATMUL,
                b -> b.matmul(batched(b, "x", 4), batched(b, "g", 5), true, false), -1, 1));
        cases.add(new Case("matmul [batch, 4].[5, 4]^T", Op.MATMUL,
                b -> b.matmul(batched(b, "x", 4), p(b, "w", 5, 4), false, true), -1, 1));
        cases.add(new Case("matmul [3]^T.[4, 1]^T (an outer product)", Op.MATMUL,
                b -> b.matmul(p(b, "a", 3), p(b, "w", 4, 1), true, true), -1, 1));
        cases.add(new Case("matmul [2, 3]^T.[4, 2]^T", Op.MATMUL,
                b -> b.matmul(p(b, "a", 2, 3), p(b, "w", 4, 2), true, true), -1, 1));
        cases.add(new Case("softplus [-6, 6]", Op.SOFTPLUS, b -> b.unary(Op.SOFTPLUS, p(b, "x", 5)), -6, 6));
        cases.add(new Case("sinc near 0", Op.SINC, b -> b.unary(Op.SINC, p(b, "x", 5)), -0.02, 0.02));
        cases.add(new Case("logsumexp [3, 4]", Op.LOGSUMEXP, b -> b.logSumExp(p(b, "x", 3, 4)), -3, 3));
        cases.add(new Case("logsumexp [batch, 5]", Op.LOGSUMEXP, b -> b.logSumExp(batched(b, "x", 5)), -3, 3));
        cases.add(new Case("onehot (indices are data)", Op.ONEHOT,
                b -> b.mul(b.oneHot(b.input("label", Shape.of(true)), 4), p(b, "w", 4)), -2, 2));
        cases.add(new Case("dropout mask, p = 0", Op.MASK, b -> b.mul(b.mask(p(b, "x", 3), 0), p(b, "y", 3)), -2, 2));
        cases.add(new Case("sum [3, 4] to [4]", Op.SUM, b -> b.sum(p(b, "x", 3, 4), Shape.unbatched(4)), -2, 2));
        cases.add(new Case("sum [3, 4] to [3, 1]", Op.SUM, b -> b.sum(p(b, "x", 3, 4), Shape.unbatched(3, 1)), -2, 2));
        cases.add(new Case("sum [batch, 3, 4] to []", Op.SUM, b -> b.sum(batched(b, "x", 3, 4), Shape.scalar()), -2, 2));
        cases.add(new Case("sum [batch, 3, 4] to [batch, 4]", Op.SUM,
                b -> b.sum(batched(b, "x", 3, 4), Shape.batched(4)), -2, 2));
        cases.add(new Case("expand [4] to [3, 4]", Op.EXPAND, b -> b.expand(p(b, "x", 4), Shape.unbatched(3, 4)), -2, 2));
        cases.add(new Case("expand [] to [batch, 2]", Op.EXPAND, b -> b.expand(p(b, "x"), Shape.batched(2)), -2, 2));
        cases.add(new Case("expand [3, 1] to [3, 4]", Op.EXPAND,
                b -> b.expand(p(b, "x", 3, 1), Shape.unbatched(3, 4)), -2, 2));
        images(cases);
        return cases;
    }

    /** The convolutions, pools, gather and scatter, reshape and the running statistics. */
    static void images(List<Case> cases) {
        cases.add(new Case("conv2d [batch, 2, 5, 5] * [3, 2, 3, 3], stride 1, padding 1", Op.CONV2D,
                b -> b.conv2d(batched(b, "x", 2, 5, 5), p(b, "w", 3, 2, 3, 3), 1, 1), -1, 1));
        cases.add(new Case("conv2d [2, 6, 5] * [2, 2, 2, 3], stride 2, padding 1", Op.CONV2D,
                b -> b.conv2d(p(b, "x", 2, 6, 5), p(b, "w", 2, 2, 2, 3), 2, 1), -1, 1));
        cases.add(new Case("conv2d [batch, 1, 7, 6] * [2, 1, 3, 3], stride 2, padding 0", Op.CONV2D,
                b -> b.conv2d(batched(b, "x", 1, 7, 6), p(b, "w", 2, 1, 3, 3), 2, 0), -1, 1));
        cases.add(new Case("conv2d_t [batch, 3, 5, 5] to [2, 5, 5], stride 1, padding 1", Op.CONV2D_T,
                b -> b.conv2dT(batched(b, "g", 3, 5, 5), p(b, "w", 3, 2, 3, 3), 1, 1, Shape.batched(2, 5, 5)), -1, 1));
        cases.add(new Case("conv2d_t [2, 3, 3] to [2, 6, 6], stride 2, padding 1", Op.CONV2D_T,
                b -> b.conv2dT(p(b, "g", 2, 3, 3), p(b, "w", 2, 2, 3, 3), 2, 1, Shape.unbatched(2, 6, 6)), -1, 1));
        cases.add(new Case("conv2d_filter [batch, 2, 5, 5], [batch, 3, 5, 5], stride 1, padding 1", Op.CONV2D_FILTER,
                b -> b.conv2dFilter(batched(b, "x", 2, 5, 5), batched(b, "g", 3, 5, 5), 1, 1, Shape.unbatched(3, 2, 3, 3)),
                -1, 1));
        cases.add(new Case("conv2d_filter [2, 6, 6], [2, 3, 3], stride 2, padding 1", Op.CONV2D_FILTER,
                b -> b.conv2dFilter(p(b, "x", 2, 6, 6), p(b, "g", 2, 3, 3), 2, 1, Shape.unbatched(2, 2, 3, 3)), -1, 1));
        cases.add(new Case("maxpool (gather at maxpool_index) [batch, 2, 4, 4], 2x2", Op.MAXPOOL_INDEX, b -> {
            Node x = batched(b, "x", 2, 4, 4);
            return b.gather(x, b.maxPoolIndex(x, 2, 2, 2, 0));
        }, -2, 2));
        cases.add(new Case("gather at maxpool_index [2, 5, 5], 3x3 stride 2 padding 1", Op.GATHER, b -> {
            Node x = p(b, "x", 2, 5, 5);
            return b.gather(x, b.maxPoolIndex(x, 3, 3, 2, 1));
        }, -2, 2));
        cases.add(new Case("scatter [batch, 2, 2, 2] into [2, 4, 4]", Op.SCATTER, b -> {
            Node index = b.maxPoolIndex(b.input("positions", Shape.batched(2, 4, 4)), 2, 2, 2, 0);
            return b.scatter(batched(b, "g", 2, 2, 2), index, Shape.batched(2, 4, 4));
        }, -2, 2));
        cases.add(new Case("scatter of overlapping windows [2, 2, 2] into [2, 3, 3]", Op.SCATTER, b -> {
            Node index = b.maxPoolIndex(b.input("positions", Shape.batched(2, 3, 3)), 2, 2, 1, 0);
            return b.scatter(batched(b, "g", 2, 2, 2), index, Shape.batched(2, 3, 3));
        }, -2, 2));
        cases.add(new Case("avgpool [batch, 2, 4, 4], 2x2", Op.AVGPOOL,
                b -> b.avgPool(batched(b, "x", 2, 4, 4), 2, 2, 2, 0), -2, 2));
        cases.add(new Case("avgpool [2, 5, 5], 3x3 stride 2 padding 1", Op.AVGPOOL,
                b -> b.avgPool(p(b, "x", 2, 5, 5), 3, 3, 2, 1), -2, 2));
        cases.add(new Case("avgpool_t [batch, 2, 3, 3] to [2, 5, 5], 3x3 stride 2 padding 1", Op.AVGPOOL_T,
                b -> b.avgPoolT(batched(b, "g", 2, 3, 3), 3, 3, 2, 1, Shape.batched(2, 5, 5)), -2, 2));
        cases.add(new Case("reshape [batch, 2, 3] to [batch, 6]", Op.RESHAPE,
                b -> b.reshape(batched(b, "x", 2, 3), Shape.batched(6)), -2, 2));
        cases.add(new Case("reshape [6] to [3, 1, 2]", Op.RESHAPE,
                b -> b.reshape(p(b, "x", 6), Shape.unbatched(3, 1, 2)), -2, 2));
        cases.add(new Case("running statistic (training: the batch's)", Op.RUNNING,
                b -> b.running(b.state("s", Shape.unbatched(3), 1), b.sum(batched(b, "x", 3), Shape.unbatched(3)), 0.1, 4),
                -2, 2));
    }

    /** {@code loss = sum(y * r)} with a random weighting parameter {@code r} of y's shape. */
    static Graph lossGraph(Case c) {
        GraphBuilder b = new GraphBuilder("check");
        Node y = c.build().apply(b);
        Node r = y.shape().batched()
                ? b.input("r", y.shape())
                : p(b, "r", y.shape().dims());
        b.loss(b.sum(b.mul(y, r), Shape.scalar()));
        return b.build();
    }

    @TestFactory
    Stream<DynamicTest> everyRuleMatchesFiniteDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            for (long seed = 1; seed <= 3; seed++) {
                Graph g = Autodiff.differentiate(lossGraph(c)).graph();
                double gap = c.hi() - c.lo() < 1 ? 0.001 : 0.05; // away from 0, where relu and step have kinks
                var bad = GradCheck.check(g, BATCH, TOLERANCE, GradCheck.Filler.uniform(seed, c.lo(), c.hi(), gap));
                assertTrue(bad.isEmpty(), () -> c.name() + ": " + bad);
            }
        }));
    }

    @Test
    void everyOpWithInputsHasARuleAndACase() {
        Set<Op> withInputs = EnumSet.noneOf(Op.class);
        for (Op op : Op.values()) {
            if (op.arity() > 0) {
                withInputs.add(op);
            }
        }
        assertEquals(withInputs, EnumSet.copyOf(Derivatives.differentiable()));
        Set<Op> covered = EnumSet.noneOf(Op.class);
        cases().forEach(c -> covered.add(c.op()));
        assertEquals(withInputs, covered);
    }

    @Test
    void aParameterTheLossIgnoresGetsAZeroGradientAndIsReported() {
        GraphBuilder b = new GraphBuilder("m");
        Node w = p(b, "w", 2);
        p(b, "unused", 3);
        b.loss(b.sum(b.pow(w, 2), Shape.scalar()));
        Autodiff.Result r = Autodiff.differentiate(b.build());
        assertEquals(List.of("unused"), r.unusedParams());
        Node g = r.graph().gradients().get("unused");
        assertEquals(Op.CONST, g.op());
        assertEquals(0.0, g.value());
    }
}
