package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import nnc.Compiler;
import nnc.check.CheckedModel;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;

/** The course's models as the tests here compile them, and helpers to compile them. */
final class Models {
    private Models() {}

    /** samples/src/main/nn/deep_relu.nn (section 1.6). */
    static final String DEEP_RELU = """
            model DeepRelu {
              const K = 5
              const D = 6
              input  x: [1]
              target y: [1]
              init weights he_normal, biases zeros
              h = x
              repeat K {
                h = relu(dense(h, D))
              }
              output out = dense(h, 1)
              loss mse(out, y)
              train { optimizer sgd(lr: 0.01)  batch 32  epochs 50 }
            }
            """;

    /** samples/src/main/nn/regression.nn (section 1.1). */
    static final String REGRESSION = """
            model Regression {
              input  x: [1]
              target y: [1]
              init weights normal(0, 1), biases constant(0.03)
              h1 = sigmoid(dense(x, 64))
              h2 = sigmoid(dense(h1, 64))
              output out = dense(h2, 1)
              loss mse(out, y)
              train { optimizer sgd(lr: 0.1)  batch 128  epochs 1000  seed 0 }
            }
            """;

    /** The checked model, failing the test with the compiler's messages if it does not check. */
    static CheckedModel check(String text, Compiler.Options options) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CheckedModel m = Compiler.check(new Source("model.nn", text), options,
                new Reporter(new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertNotNull(m, err.toString(StandardCharsets.UTF_8));
        return m;
    }

    static CheckedModel check(String text) {
        return check(text, Compiler.Options.defaults());
    }

    /** The generated class in double precision without dropout, as nnc gradcheck compiles it. */
    static Compiler.Result compileForGradcheck(String text, Compiler.Options options) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Compiler.Result r = Compiler.compile(new Source("model.nn", text),
                options.withPrecision(Precision.DOUBLE).withDropout(false).withPackage("nnc.test"),
                new Reporter(new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertNotNull(r, err.toString(StandardCharsets.UTF_8));
        return r;
    }

    static Model load(Compiler.Result r) {
        try {
            return r.load().newModel();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
