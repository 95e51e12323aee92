package nnc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.parse.Parser;
import org.junit.jupiter.api.Test;

/** Lowering the course's models: the parameters they create and the shapes of their values. */
class LowerTest {
    static final String REGRESSION = """
            model Regression {
              input  x: [1]
              target y: [1]
              init weights normal(0, 1), biases constant(0.03)
              h1  = sigmoid(dense(x, 64))
              h2  = sigmoid(dense(h1, 64))
              output out = dense(h2, 1)
              loss mse(out, y)
              train { optimizer sgd(lr: 0.1)  batch 128  epochs 1000 }
            }
            """;

    static CheckedModel check(String text) {
        Reporter r = new Reporter(null);
        Source s = new Source("regression.nn", text);
        CheckedModel m = Checker.check(Parser.parse(s, r), s, r);
        assertNotNull(m, () -> r.diagnostics().toString());
        return m;
    }

    @Test
    void theRegressionModelHasTheCoursesParameters() {
        Graph g = Lower.lower(check(REGRESSION));
        List<String> params = g.params().stream().map(p -> p.name() + " " + p.shape() + " " + p.param().init()).toList();
        assertEquals(List.of(
                "h1.weight [1, 64] normal(0, 1)", "h1.bias [64] constant(0.03)",
                "h2.weight [64, 64] normal(0, 1)", "h2.bias [64] constant(0.03)",
                "out.weight [64, 1] normal(0, 1)", "out.bias [1] constant(0.03)"), params);
        assertEquals(Shape.batched(1), g.outputs().get("out").shape());
        assertEquals(Shape.scalar(), g.loss().shape());
    }

    @Test
    void valuesKeepTheirNamesAndLines() {
        Graph g = Lower.lower(check(REGRESSION));
        Node out = g.outputs().get("out");
        assertEquals("out", out.label());
        assertEquals(7, out.origin().line());
        assertEquals("output out = dense(h2, 1)", out.origin().text());
    }

    @Test
    void severalLayersInOneStatementAreNumbered() {
        CheckedModel m = check("""
                model M {
                  input x: [3]
                  target y: [1]
                  output out = dense(relu(dense(x, 4)), 1)
                  loss mse(out, y)
                }
                """);
        assertEquals(List.of("out.dense1.weight", "out.dense1.bias", "out.dense2.weight", "out.dense2.bias"),
                m.params().stream().map(CheckedModel.ParamSpec::name).toList());
    }

    @Test
    void meanDividesByTheRunTimeBatch() {
        Graph g = Lower.lower(check("""
                model M {
                  input x: [3]
                  target y: [3]
                  param w: [3]
                  output out = x * w
                  loss mean(out - y)
                }
                """));
        // mean = sum(...) * (1/3) / batch
        Node loss = g.loss();
        assertEquals(Op.DIV, loss.op());
        assertEquals(Op.BATCH, loss.input(1).op());
        assertEquals(1.0 / 3, loss.input(0).input(1).value(), 1e-15);
    }
}
