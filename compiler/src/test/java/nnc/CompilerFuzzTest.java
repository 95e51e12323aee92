package nnc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.codegen.InMemoryJavac;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;

/**
 * Coverage-guided fuzzing of the whole compiler with Jazzer: parse, check, lowering, autodiff,
 * optimisation, code generation and, for inputs that compile, javac on the generated source.
 * The compiler may reject an input only through its reporter; any exception, a rejection without
 * a reported error, or generated code javac refuses is a bug.
 *
 * <p>Under plain JUnit (and {@code mvn verify}) each target replays its corpus in
 * {@code src/test/resources/nnc/CompilerFuzzTestInputs/<method>/}: the samples as seeds and every
 * input that ever crashed the compiler. {@code docs/fuzzing.md} says how to fuzz for longer.
 */
class CompilerFuzzTest {
    /** Raw bytes as a .nn file: the lexer and the parser's recovery, then whatever gets through. */
    @FuzzTest(maxDuration = "10m")
    @DictionaryFile(resourcePath = "nn.dict")
    void rawBytes(byte[] bytes) {
        compileOrDiagnose(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Grammar-aware: a sample model with a few token-level mutations (a token replaced by a
     * keyword, built-in, name or extreme number; deleted; duplicated; a value wrapped in a call),
     * so most inputs get past the parser and exercise the checker and the back end.
     */
    @FuzzTest(maxDuration = "10m")
    void mutatedSamples(FuzzedDataProvider data) {
        List<String> tokens = tokens(SAMPLES.get(data.consumeInt(0, SAMPLES.size() - 1)));
        int mutations = data.consumeInt(1, 6);
        for (int m = 0; m < mutations && !tokens.isEmpty(); m++) {
            int at = data.consumeInt(0, tokens.size() - 1);
            switch (data.consumeInt(0, 4)) {
                case 0 -> tokens.set(at, data.pickValue(VOCABULARY));
                case 1 -> tokens.remove(at);
                case 2 -> tokens.addAll(at, new ArrayList<>(tokens.subList(at, Math.min(tokens.size(), at + data.consumeInt(1, 12)))));
                case 3 -> tokens.add(at, data.consumeString(8));
                default -> {
                    tokens.add(at, data.pickValue(WRAPPERS) + "(");
                    tokens.add(Math.min(tokens.size(), at + 2), ")");
                }
            }
        }
        compileOrDiagnose(String.join(" ", tokens));
    }

    static void compileOrDiagnose(String text) {
        Reporter reporter = new Reporter(null);
        // Generated classes go outside nnc.*, which Jazzer instruments: javac is what checks them.
        Compiler.Result result = Compiler.compile(new Source("fuzz.nn", text),
                Compiler.Options.defaults().withPackage("fuzzed").withPrecision(Precision.FLOAT), reporter);
        if (result == null) {
            assertTrue(reporter.hadErrors(), "rejected without a diagnostic");
            return;
        }
        assertNotNull(result.javaSource());
        try {
            result.load();
        } catch (InMemoryJavac.CompileException e) {
            throw new AssertionError("generated code does not compile:\n" + e.getMessage() + "\n" + text, e);
        }
    }

    /** The samples, read once from the fuzz test's resources. */
    static final List<String> SAMPLES = List.of("regression.nn", "fashion_mlp.nn", "fashion_dropout.nn",
            "weight_decay.nn", "toy.nn", "deep_relu.nn", "dead_units.nn", "backprop_by_hand.nn", "xor.nn",
            "logistic.nn").stream().map(CompilerFuzzTest::resource).toList();

    static final String[] VOCABULARY = {"model", "input", "target", "param", "init", "output", "loss", "train",
        "const", "repeat", "{", "}", "(", ")", "[", "]", ",", ":", "=", "+", "-", "*", "/", "^", "x", "y", "h", "h1",
        "out", "w", "K", "D", "dense", "matmul", "sigmoid", "relu", "tanh", "softmax", "log_softmax", "sum", "mean",
        "mse", "l1", "cross_entropy", "binary_cross_entropy", "dropout", "leaky_relu", "elu", "exp", "log", "class",
        "normal", "uniform", "constant", "zeros", "he_normal", "xavier_uniform", "values", "weights", "biases",
        "batch", "epochs", "seed", "shuffle", "optimizer", "sgd", "adam", "lr", "momentum", "weight_decay",
        "0", "1", "2", "-1", "0.5", "1e30", "1e-30", "65536", "2147483647", "2147483648", "99999999999999999999",
        "0.0", "1e400", "\"h*.weight\"", "\"\"", "true", "false", "\u03c3", "_", "/*", "*/", "//"};

    static final String[] WRAPPERS = {"relu", "sigmoid", "exp", "log", "softmax", "sum", "mean", "dropout", "-", "dense"};

    private static final Pattern TOKEN = Pattern.compile("//[^\\n]*|\"[^\"\\n]*\"|[\\p{L}_][\\p{L}\\p{N}_]*|[0-9.]+(?:[eE][+-]?[0-9]+)?|\\S");

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            if (!m.group().startsWith("//")) {
                out.add(m.group());
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = CompilerFuzzTest.class.getResourceAsStream("CompilerFuzzTestInputs/rawBytes/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing seed " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
