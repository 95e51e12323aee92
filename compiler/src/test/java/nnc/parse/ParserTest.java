package nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.diag.Reporter;
import nnc.diag.Source;
import org.junit.jupiter.api.Test;

/** How .nn text parses, shown by printing expressions back fully parenthesised. */
class ParserTest {
    static Ast.Model parse(String text) {
        Reporter r = new Reporter(null);
        Ast.Model m = Parser.parse(new Source("t.nn", text), r);
        assertNotNull(m, () -> r.diagnostics().toString());
        return m;
    }

    /** The expression of {@code v = <expr>}, printed with every operation in parentheses. */
    static String expr(String e) {
        Ast.Model m = parse("model T { v = " + e + " }");
        return show(((Ast.Value) m.decls().get(0)).expr());
    }

    static String show(Ast.Expr e) {
        if (e instanceof Ast.Num n) {
            return n.pos().text();
        } else if (e instanceof Ast.Name n) {
            return n.name();
        } else if (e instanceof Ast.Neg n) {
            return "(-" + show(n.operand()) + ")";
        } else if (e instanceof Ast.Binary b) {
            return "(" + show(b.left()) + " " + b.op() + " " + show(b.right()) + ")";
        }
        Ast.Call c = (Ast.Call) e;
        StringBuilder s = new StringBuilder(c.name()).append('(');
        for (int i = 0; i < c.args().size(); i++) {
            s.append(i > 0 ? ", " : "").append(show(c.args().get(i)));
        }
        for (Ast.NamedArg a : c.named()) {
            s.append(", ").append(a.name()).append(": ").append(show(a.value()));
        }
        return s.append(')').toString();
    }

    @Test
    void precedenceAndAssociativity() {
        assertEquals("((a - b) - c)", expr("a - b - c"));
        assertEquals("(a + (b * c))", expr("a + b * c"));
        assertEquals("((a / b) * c)", expr("a / b * c"));
        assertEquals("(2 ^ (3 ^ 2))", expr("2 ^ 3 ^ 2"));
        assertEquals("(-(x ^ 2))", expr("-x^2"));
        assertEquals("(x ^ (-1))", expr("x^-1"));
        assertEquals("((a + b) * c)", expr("(a + b) * c"));
    }

    @Test
    void callsTakePositionalThenNamedArguments() {
        assertEquals("dense(x, 64, weights: normal(0, 1), bias: false)", expr("dense(x, 64, weights: normal(0, 1), bias: false)"));
    }

    @Test
    void numbersInEveryForm() {
        assertEquals("((((1 + 2.5) + 1e-3) + .5) + 3.)", expr("1 + 2.5 + 1e-3 + .5 + 3."));
    }

    @Test
    void commentsAreIgnored() {
        Ast.Model m = parse("// a model\nmodel T { /* inputs */ input x: [1] // one\n }");
        assertEquals(1, m.decls().size());
    }

    @Test
    void declarationsKeepTheirPositionsAndText() {
        Ast.Model m = parse("model T {\n  input x: [3, 4]\n  output out = sigmoid(x)\n}");
        Ast.Input in = (Ast.Input) m.decls().get(0);
        assertEquals(2, in.pos().line());
        assertEquals(3, in.pos().column());
        assertEquals("input x: [3, 4]", in.pos().text());
        assertEquals(2, in.shape().size());
        Ast.Value v = (Ast.Value) m.decls().get(1);
        assertTrue(v.output());
        assertEquals("output out = sigmoid(x)", v.pos().text());
    }

    @Test
    void trainSettingsInAnyOrder() {
        Ast.Model m = parse("model T { train { epochs 3  optimizer sgd(lr: 0.5) batch 2 } }");
        Ast.Train t = (Ast.Train) m.decls().get(0);
        assertEquals(3, t.settings().size());
        assertEquals("optimizer", t.settings().get(1).name());
    }

    /** The one error of parsing {@code text}, formatted, without its source line. */
    static String onlyError(String text) {
        Reporter r = new Reporter(null);
        assertEquals(null, Parser.parse(new Source("t.nn", text), r));
        assertEquals(1, r.diagnostics().size(), () -> r.diagnostics().toString());
        return r.diagnostics().get(0).format().lines().findFirst().orElseThrow();
    }

    @Test
    void longAndDeepExpressionsAreADiagnosticNotAStackOverflow() {
        String tooDeep = "error[E401]: " + Parser.TOO_DEEP;
        // A sum parses in a loop but nests the tree; chains of '-' and '^' recurse in the parser itself.
        assertEquals("t.nn:2:3: " + tooDeep, onlyError("model T {\n  v = " + "x + ".repeat(100_000) + "x\n}"));
        assertEquals("t.nn:3:3: " + tooDeep, onlyError("model T {\n  u = x\n  v = " + "x * ".repeat(3_000) + "x\n  w = x\n}"));
        String error = onlyError("model T {\n  v = " + "- ".repeat(200_000) + "x\n}");
        assertTrue(error.startsWith("t.nn:2:") && error.endsWith(tooDeep), error);
        error = onlyError("model T {\n  v = " + "x ^ ".repeat(200_000) + "x\n}");
        assertTrue(error.startsWith("t.nn:2:") && error.endsWith(tooDeep), error);
        // Just under the limit is fine.
        assertNotNull(parse("model T {\n  v = " + "x + ".repeat(Parser.MAX_DEPTH / 2 - 10) + "x\n}"));
    }
}
