package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.ir.InitSpec;
import org.junit.jupiter.api.Test;

/** --set and --init: a model's consts and default initialisers changed without editing its file. */
class OverridesTest {
    static final String DEEP = """
            model Deep {
              const K = 2
              const D = 3
              input x: [1]
              target y: [1]
              init weights he_normal, biases zeros
              h = x
              repeat K {
                h = relu(dense(h, D))
              }
              output out = dense(h, 1, weights: constant(0.5))
              loss mse(out, y)
            }
            """;

    record Checked(CheckedModel model, String err) {}

    static Checked check(String text, List<String> sets, List<String> inits) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CheckedModel m = Compiler.check(new Source("deep.nn", text),
                Compiler.Options.defaults().withSets(sets).withInits(inits),
                new Reporter(new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Checked(m, err.toString(StandardCharsets.UTF_8));
    }

    private static InitSpec init(CheckedModel m, String param) {
        return m.params().stream().filter(p -> p.name().equals(param)).findFirst().orElseThrow().init();
    }

    @Test
    void setChangesConstsAndWithThemTheLayers() {
        Checked c = check(DEEP, List.of("K=4", "D=5"), List.of());
        assertNotNull(c.model(), c.err());
        assertEquals(4, c.model().rows().stream().filter(r -> r.kind().equals("relu")).count());
        assertEquals(5, c.model().params().stream().filter(p -> p.name().equals("h.4.weight")).findFirst().orElseThrow()
                .shape().dim(1));
        assertEquals(4.0, c.model().consts().get("K"));
    }

    @Test
    void initReplacesTheFilesDefaultButNotALayersOwnInitialiser() {
        Checked c = check(DEEP, List.of(), List.of("weights=normal(0, 1)", "biases = constant(0.1)"));
        assertNotNull(c.model(), c.err());
        assertEquals(new InitSpec("normal", 0, 1), init(c.model(), "h.1.weight"));
        assertEquals(new InitSpec("constant", 0.1), init(c.model(), "h.2.bias"));
        assertEquals(new InitSpec("constant", 0.5), init(c.model(), "out.weight"));
    }

    @Test
    void initAddsDefaultsToAFileWithoutAnInitLine() {
        Checked c = check(DEEP.replace("init weights he_normal, biases zeros", ""), List.of(), List.of("weights=he_normal(fan_out)"));
        assertNotNull(c.model(), c.err());
        assertEquals(new InitSpec("he_normal", 1), init(c.model(), "h.1.weight"));
        assertEquals(new InitSpec("zeros"), init(c.model(), "h.1.bias"));
    }

    @Test
    void mistakesNameTheOverrideTheyComeFrom() {
        assertEquals("--set K=abc: error[E801]: 'abc' is not a number; K takes a number such as 50 or 0.5\n",
                check(DEEP, List.of("K=abc"), List.of()).err());
        assertEquals("--set k=5: error[E802]: model Deep has no const 'k'; did you mean 'K'? (its consts: K, D)\n",
                check(DEEP, List.of("k=5"), List.of()).err());
        assertEquals("--set K: error[E801]: expected NAME=VALUE, such as --set K=50\n", check(DEEP, List.of("K"), List.of()).err());
        assertEquals("--set K=3: error[E801]: K is set twice\n", check(DEEP, List.of("K=2", "K=3"), List.of()).err());
        assertEquals("--init weights=normal(0): error[E231]: normal takes 2 arguments, but got 1\n",
                check(DEEP, List.of(), List.of("weights=normal(0)")).err());
        assertEquals("--init weights=gaussian(0, 1): error[E230]: unknown initialiser 'gaussian'\n",
                check(DEEP, List.of(), List.of("weights=gaussian(0, 1)")).err());
        assertEquals("--init weight=zeros: error[E803]: unknown default 'weight': write weights=... or biases=...; did you mean"
                + " 'weights'?, such as --init 'weights=normal(0, 1)'\n", check(DEEP, List.of(), List.of("weight=zeros")).err());
        assertEquals("--init weights=normal(0, 1: error[E803]: expected an initialiser such as normal(0, 1), he_normal or zeros"
                + " after 'weights=', not 'normal(0, 1'\n", check(DEEP, List.of(), List.of("weights=normal(0, 1")).err());
        // Every mistake is reported in one run, and nothing is checked after them.
        Checked both = check(DEEP, List.of("K=x", "Q=1"), List.of("biases=normal(0, -1)"));
        assertNull(both.model());
        assertEquals(3, both.err().lines().count(), both.err());
    }

    @Test
    void aValueTheFileRejectsIsReportedWhereTheConstIsUsed() {
        Checked c = check(DEEP, List.of("D=2.5"), List.of());
        assertNull(c.model());
        assertEquals("deep.nn:9:23: error[E209]: the number of units of dense must be a whole number of at least 1, not 'D'",
                c.err().lines().findFirst().orElseThrow());
    }
}
