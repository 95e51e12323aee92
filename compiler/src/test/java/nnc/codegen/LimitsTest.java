package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * Models too large for the JVM get a diagnostic with their size, not an overflowing array size,
 * an OutOfMemoryError or javac's "code too large".
 */
class LimitsTest {
    static final String MLP = """
            model Mlp {
              input x: [20]
              target y: [1]
              h = relu(dense(x, 30))
              output out = dense(h, 1)
              loss mse(out, y)
            }
            """;

    record Outcome(Compiler.Result result, Reporter reporter) {
        String error() {
            assertNull(result);
            assertEquals(1, reporter.errorCount(), reporter.diagnostics()::toString);
            return reporter.diagnostics().get(0).format().lines().findFirst().orElseThrow();
        }
    }

    static Outcome compile(String text, Compiler.Options options) {
        Reporter r = new Reporter(null);
        return new Outcome(Compiler.compile(new Source("m.nn", text), options, r), r);
    }

    /** Bytes of every float[] and double[] array the fields of a freshly constructed model hold, each array once. */
    static long allocatedBytes(Model m) throws IllegalAccessException {
        long bytes = 0;
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Field f : m.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            if (!seen.add(f.get(m))) {
                continue; // an array shared by values (the memory plan)
            }
            if (f.get(m) instanceof float[] a) {
                bytes += 4L * a.length;
            } else if (f.get(m) instanceof double[] a) {
                bytes += 8L * a.length;
            }
        }
        return bytes;
    }

    @Test
    void theMemoryFigureIsWhatTheClassAllocatesAndTheBudgetIsEnforcedToTheByte() throws Exception {
        for (Precision p : Precision.values()) {
            Compiler.Options options = Compiler.Options.defaults().withPackage("nnc.limits").withPrecision(p).withMaxBatch(16);
            Compiler.Result r = compile(MLP, options).result();
            assertNotNull(r);
            long bytes = Limits.memory(r.optimized(), 16, p, options.usesVectors()).bytes();
            assertEquals(allocatedBytes(r.load().newModel()), bytes);
            assertNotNull(compile(MLP, options.withMemoryBudget(bytes)).result());
            assertEquals("m.nn:4:12: error[E404]: model needs " + bytes + " bytes of buffers for batches of 16 in "
                    + p.name().toLowerCase(java.util.Locale.ROOT) + ", more than the memory budget of " + (bytes - 1)
                    + " bytes (the largest is param 'h.weight'); use a smaller batch or raise the budget",
                    compile(MLP, options.withMemoryBudget(bytes - 1)).error());
        }
    }

    @Test
    void aBufferLargerThanAJavaArrayIsRefused() {
        String huge = MLP.replace("[20]", "[100000]").replace("dense(x, 30)", "dense(x, 100000)");
        assertEquals("m.nn:4:12: error[E403]: param 'h.weight' needs 10000000000 elements for batches of 32, more than a Java "
                + "array holds (2147483639); use a smaller batch or smaller layers",
                compile(huge, Compiler.Options.defaults().withMemoryBudget(Long.MAX_VALUE)).error());
        // A batched value whose size only overflows an int once multiplied by the batch.
        String wide = MLP.replace("[20]", "[60000000]");
        assertTrue(compile(wide, Compiler.Options.defaults().withMaxBatch(64)).error()
                .contains("needs 3840000000 elements for batches of 64, more than a Java array holds"));
    }

    /** {@code layers} dense layers of two units, each followed by a few elementwise operations. */
    static String deep(int layers, String extra) {
        return "model Deep {\n  input x: [2]\n  target y: [1]\n  h = x\n  repeat " + layers
                + " {\n    h = tanh(dense(h, 2))\n" + extra + "  }\n  output out = dense(h, 1)\n  loss mse(out, y)\n}\n";
    }

    static boolean compiles(int layers, String extra) {
        return compile(deep(layers, extra), Compiler.Options.defaults()).result() != null;
    }

    @Test
    void tooManyOperationsOrParametersForOneClassAreRefusedAndJustFewerCompile() throws Exception {
        String error = "m.nn:1:7: error[E402]: model too large: %s one generated class can hold; use fewer layers or repetitions";
        assertEquals(error.formatted("15013 operations, more than the 4000"), compile(deep(3000, ""), Compiler.Options.defaults()).error());
        assertEquals(error.formatted("402 parameter tensors, more than the 400"), compile(deep(200, ""), Compiler.Options.defaults()).error());
        // The most layers that fit, with about 23 operations per layer, come near both limits at
        // once: javac must accept the class.
        String extra = "    h = sin(h) * cos(h) + h\n";
        int layers = 1;
        while (compiles(layers * 2, extra)) {
            layers *= 2;
        }
        for (int step = layers / 2; step > 0; step /= 2) {
            if (compiles(layers + step, extra)) {
                layers += step;
            }
        }
        Compiler.Result r = compile(deep(layers, extra), Compiler.Options.defaults().withPackage("nnc.limits")).result();
        int operations = r.optimized().nodes().size();
        int params = r.optimized().params().size();
        assertTrue(operations > Limits.MAX_OPERATIONS * 0.95 && params > Limits.MAX_PARAMETERS * 0.8, operations + " operations, " + params + " parameters");
        assertEquals(List.of(), r.load().warnings());
    }
}
