package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.Compiler;
import nnc.check.CheckedModel;
import org.junit.jupiter.api.Test;

/** The layer table: every layer with its kind, output shape and parameters, and the total. */
class ParamsTableTest {
    private static List<String> summary(CheckedModel m) {
        return m.rows().stream().map(r -> r.name() + " " + r.kind() + " " + ParamsTable.shape(r.shape()) + " " + r.parameterCount())
                .toList();
    }

    /** Every parameter is in exactly one row, so the rows add up to the model's total. */
    private static void everyParameterOnce(CheckedModel m) {
        Set<String> seen = new HashSet<>();
        long sum = 0;
        for (CheckedModel.Row r : m.rows()) {
            for (CheckedModel.ParamSpec p : r.params()) {
                assertTrue(seen.add(p.name()), p.name() + " is in two rows");
            }
            sum += r.parameterCount();
        }
        assertEquals(m.params().size(), seen.size());
        assertEquals(ParamsTable.total(m), sum);
    }

    @Test
    void theRegressionMlpHasTheCoursesCounts() {
        CheckedModel m = Models.check(Models.REGRESSION);
        // 1-64-64-1: 64 + 64, 64 * 64 + 64, 64 + 1.
        assertEquals(List.of("h1 dense [N, 64] 128", "h1 sigmoid [N, 64] 0", "h2 dense [N, 64] 4160",
                "h2 sigmoid [N, 64] 0", "out dense [N, 1] 65"), summary(m));
        assertEquals(4353, ParamsTable.total(m));
        everyParameterOnce(m);
        String table = ParamsTable.format(m);
        assertTrue(table.startsWith("layer  kind     output   parameters  line\n"), table);
        assertTrue(table.contains("h2     dense    [N, 64]       4,160     6\n"), table);
        assertTrue(table.endsWith("total                         4,353\n"), table);
    }

    @Test
    void repeatedLayersAreNumberedAndTheSetOverrideChangesThem() {
        CheckedModel m = Models.check(Models.DEEP_RELU, Compiler.Options.defaults().withSets(List.of("K=3", "D=4")));
        assertEquals(List.of("h.1 dense [N, 4] 8", "h.1 relu [N, 4] 0", "h.2 dense [N, 4] 20", "h.2 relu [N, 4] 0",
                "h.3 dense [N, 4] 20", "h.3 relu [N, 4] 0", "out dense [N, 1] 5"), summary(m));
        assertEquals(53, ParamsTable.total(m));
        everyParameterOnce(m);
    }

    @Test
    void declaredParametersArithmeticAndInnerCallsHaveRowsOfTheirOwn() {
        CheckedModel m = Models.check("""
                model Mixed {
                  input x: [3]
                  target y: [2]
                  param w: [3, 2]
                  param c: [] = constant(1)
                  z = relu(dense(sigmoid(x), 4)) + dense(tanh(x), 4, bias: false)
                  output out = dense(z, 2) * c + matmul(x, w)
                  loss mse(out, dense(y, 2))
                }
                """);
        assertEquals(List.of("w param [3, 2] 6", "c param [] 1", "z.sigmoid sigmoid [N, 3] 0", "z.dense1 dense [N, 4] 16",
                "z.relu relu [N, 4] 0", "z.tanh tanh [N, 3] 0", "z.dense2 dense [N, 4] 12", "z expression [N, 4] 0",
                "out dense [N, 2] 10", "out.matmul matmul [N, 2] 0", "out expression [N, 2] 0",
                "loss dense [N, 2] 6"), summary(m));
        everyParameterOnce(m);
    }
}
