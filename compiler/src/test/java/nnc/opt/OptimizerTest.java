package nnc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.InitSpec;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;
import org.junit.jupiter.api.Test;

/** What each pass removes, on graphs small enough to read. */
class OptimizerTest {
    private static final InitSpec ZEROS = new InitSpec("zeros");

    private static Graph withLoss(GraphBuilder b, Node value) {
        b.loss(b.sum(value, Shape.scalar()));
        return b.build();
    }

    @Test
    void constantsFoldAndIdentitiesDisappear() {
        GraphBuilder b = new GraphBuilder("m");
        Node w = b.param("w", Shape.unbatched(3), ZEROS, 1, 1);
        // ((w * 1) + 0) ^ 1 * (2 + 3)  ->  w * 5
        Node v = b.mul(b.pow(b.add(b.mul(w, b.constant(1)), b.constant(0)), 1), b.add(b.constant(2), b.constant(3)));
        Graph g = new ConstantFolding().run(withLoss(b, v));
        Node sum = g.loss();
        Node mul = sum.input(0);
        assertEquals(Op.MUL, mul.op());
        assertSame(w, mul.input(0));
        assertEquals(5.0, mul.input(1).value());
    }

    @Test
    void doubleNegationCancels() {
        GraphBuilder b = new GraphBuilder("m");
        Node w = b.param("w", Shape.unbatched(2), ZEROS, 1, 1);
        Graph g = new ConstantFolding().run(withLoss(b, b.neg(b.neg(w))));
        assertSame(w, g.loss().input(0));
    }

    @Test
    void anIdentityThatWouldChangeTheShapeIsKept() {
        GraphBuilder b = new GraphBuilder("m");
        Node s = b.param("s", Shape.scalar(), ZEROS, 1, 1);
        // s * ones[3] broadcasts s to [3]: dropping the multiplication would change the shape.
        Node v = b.mul(s, b.constant(1, Shape.unbatched(3)));
        Graph g = new ConstantFolding().run(withLoss(b, v));
        assertEquals(Shape.unbatched(3), g.loss().input(0).shape());
    }

    @Test
    void commonSubexpressionsAreComputedOnce() {
        GraphBuilder b = new GraphBuilder("m");
        Node w = b.param("w", Shape.unbatched(4), ZEROS, 1, 1);
        Node v = b.add(b.unary(Op.SIN, w), b.unary(Op.SIN, w));
        Graph g = new CommonSubexpressions().run(withLoss(b, v));
        Node add = g.loss().input(0);
        assertSame(add.input(0), add.input(1));
        assertEquals(4, g.nodes().size()); // w, sin, add, sum
    }

    @Test
    void deadNodesAreDropped() {
        GraphBuilder b = new GraphBuilder("m");
        Node w = b.param("w", Shape.unbatched(2), ZEROS, 1, 1);
        b.unary(Op.EXP, w); // computed by nobody
        Graph g = new DeadCode().run(withLoss(b, w));
        assertEquals(2, g.nodes().size());
    }

    @Test
    void theStandardPipelineShrinksADifferentiatedModel() {
        GraphBuilder b = new GraphBuilder("m");
        Node x = b.input("x", Shape.batched(3));
        Node w = b.param("w", Shape.unbatched(3, 2), ZEROS, 3, 2);
        Node y = b.unary(Op.TANH, b.matmul(x, w, false, false));
        b.loss(b.div(b.sum(b.pow(y, 2), Shape.scalar()), b.batchSize()));
        Graph g = nnc.autodiff.Autodiff.differentiate(b.build()).graph();
        Graph o = Optimizer.standard().run(g);
        org.junit.jupiter.api.Assertions.assertTrue(o.nodes().size() < g.nodes().size(),
                o.nodes().size() + " nodes after, " + g.nodes().size() + " before");
    }
}
