package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Random;
import nnc.Compiler;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * No name in a .nn file can break or inject into the generated class: models whose names are Java
 * keywords, members of the generated class, or collide after mangling compile without warnings and
 * compute exactly what the same model with plain names computes.
 */
class NameSafetyTest {
    /** Names that are hard for a Java code generator, each a valid .nn identifier. */
    static final List<String> HARD = List.of("class", "int", "new", "this", "return", "n", "i0", "acc", "row", "k",
            "v", "a", "b", "infer", "trainStep", "parameters", "MAX_BATCH", "Math", "List", "Model", "Tensor",
            "h1_weight", "h1_weight_grad", "x_grad", "compute_h1", "gr\u00f6\u00dfe", "\u03c3", "_", "__", "_1",
            "String", "System", "java", "Override", "checkBatch", "null", "true", "var", "record", "_x24", "Float",
            "LANES", "FloatVector", "v0", "zero");

    static String model(String[] n) {
        // n: input, target, param, value 1, value 2 (also the name of a layer), output
        return "model " + n[6] + " {\n"
                + "  input " + n[0] + ": [3]\n"
                + "  target " + n[1] + ": [1]\n"
                + "  param " + n[2] + ": [3] = normal(0, 1)\n"
                + "  " + n[3] + " = tanh(" + n[0] + " * " + n[2] + ")\n"
                + "  " + n[4] + " = sigmoid(dense(" + n[3] + ", 4, weights: normal(0, 1), biases: constant(0.1)))\n"
                + "  output " + n[5] + " = dense(" + n[4] + ", 1, weights: normal(0, 1))\n"
                + "  loss mse(" + n[5] + ", " + n[1] + ") // a comment with */ and \\u000a inside\n"
                + "}\n";
    }

    static Model compile(String text) throws Exception {
        return compileAll(List.of(text)).get(0);
    }

    /**
     * Compiles each model, every generated class in one javac run (one run each would take
     * minutes), and checks that javac warns about nothing and that every source is ASCII.
     */
    static List<Model> compileAll(List<String> texts) throws Exception {
        java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Reporter r = new Reporter(null);
            Compiler.Result result = Compiler.compile(new Source("names.nn", text), Compiler.Options.defaults()
                    .withPackage("nnc.names.t" + i).withPrecision(Precision.DOUBLE).withMaxBatch(4), r);
            assertNotNull(result, () -> text + r.diagnostics());
            String source = result.javaSource();
            assertEquals(-1, source.chars().filter(c -> c > 126 || (c < 32 && c != '\n')).findFirst().orElse(-1),
                    () -> "the generated source is ASCII, without control characters:\n" + source);
            sources.put(result.qualifiedName(), source);
        }
        java.util.Map<String, InMemoryJavac.Compiled> classes = InMemoryJavac.compileAll(sources);
        List<Model> models = new java.util.ArrayList<>();
        int i = 0;
        for (String name : sources.keySet()) {
            assertEquals(List.of(), classes.get(name).warnings(), texts.get(i++));
            models.add(classes.get(name).newModel());
        }
        return models;
    }

    static double[] run(Model m) {
        m.initialize(11);
        for (int i = 0; i < 4 * 3; i++) {
            m.inputs().get(0).set(i, Math.sin(i));
        }
        for (int i = 0; i < 4; i++) {
            m.targets().get(0).set(i, Math.cos(i));
        }
        double loss = m.trainStep(4);
        double[] out = new double[1 + m.parameters().size()];
        out[0] = loss;
        for (int p = 0; p < m.parameters().size(); p++) {
            out[p + 1] = m.parameters().get(p).grad().get(0);
        }
        return out;
    }

    @Test
    void hardNamesBehaveLikePlainNames() throws Exception {
        // Initialisation is seeded by parameter name, so compare models whose parameters share names
        // but whose inputs, targets, values and the model itself have hard names.
        double[] plain = run(compile(model(new String[] {"x", "y", "w", "h", "g", "out", "Plain"})));
        Random random = new Random(5);
        List<String> texts = new java.util.ArrayList<>();
        for (int trial = 0; trial < 25; trial++) {
            String[] n = {pick(random), pick(random), "w", pick(random), "g", "out", pick(random)};
            if (distinct(n)) {
                texts.add(model(n));
            }
        }
        List<Model> models = compileAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(List.of(boxed(plain)), List.of(boxed(run(models.get(i)))), texts.get(i));
        }
    }

    @Test
    void everyHardNameCompilesInEveryRole() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        for (String hard : HARD) {
            for (int role = 0; role < 7; role++) {
                String[] n = {"x", "y", "w", "h", "g", "out", "M"};
                n[role] = hard;
                if (distinct(n)) {
                    texts.add(model(n));
                }
            }
        }
        assertEquals(texts.size(), compileAll(texts).size());
    }

    private static String pick(Random r) {
        return HARD.get(r.nextInt(HARD.size()));
    }

    private static boolean distinct(String[] n) {
        return java.util.Arrays.stream(n).distinct().count() == n.length;
    }

    private static Double[] boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Double[]::new);
    }

    // Property: random names and comments. Parameters are initialised with values(...), so every
    // role, parameters included, can take a random name and the model still computes the same.

    static final List<String> JAVA_KEYWORDS = List.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const_", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
            "long", "native", "new", "package", "private", "protected", "public", "return", "short", "static",
            "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits", "when",
            "module", "open", "exports", "requires", "_", "MAX_BATCH", "n", "row", "i", "k", "Math");

    /** Characters a .nn name may start with, and those it may contain after that. */
    static final String FIRST = "abcxyzABCXYZ_$\u00e9\u00df\u03c3\u03a3\u540d\u0436\u00c5";
    static final String REST = FIRST + "0123456789\u0663\u00b2\u0e53";

    /** Text for a block comment inside a statement: javac must not see a comment end or an escape in it. */
    static final List<String> NASTY = List.of("\\u002a\\u002f", "\\u000a", "\\uuu000d", "\\\\u000a", "* /", "/*", "\\",
            "\u03c3", "\\u0022", "\"", "\t", "\\u005c\\u005c", "@Override", "}\n class X {");

    static String randomName(Random r, List<String> earlier) {
        int kind = r.nextInt(6);
        if (kind == 0) {
            return JAVA_KEYWORDS.get(r.nextInt(JAVA_KEYWORDS.size()));
        } else if (kind == 1 && !earlier.isEmpty()) {
            // A name that collides with an earlier one after mangling, or differs only in case, or
            // looks like a name the generator derives from it.
            String other = earlier.get(r.nextInt(earlier.size()));
            String m = JavaNames.mangle(other);
            return switch (r.nextInt(5)) {
                case 0 -> m.endsWith("_") ? m + "x" : m;
                case 1 -> other.toUpperCase(java.util.Locale.ROOT);
                case 2 -> other + "_2";
                case 3 -> other + "_grad";
                default -> "compute_" + m;
            };
        }
        StringBuilder b = new StringBuilder();
        b.appendCodePoint(FIRST.codePointAt(r.nextInt(FIRST.length())));
        for (int i = r.nextInt(6); i > 0; i--) {
            b.appendCodePoint(REST.codePointAt(r.nextInt(REST.length())));
        }
        return b.toString();
    }

    /** The model of {@link #model} with values(...) initialisers and {@code comment} inside a statement. */
    static String valuesModel(String[] n, String comment) {
        return "model " + n[6] + " {\n"
                + "  input " + n[0] + ": [3]\n"
                + "  target " + n[1] + ": [1]\n"
                + "  param " + n[2] + ": [3] = values(0.5, -0.25, 0.75)\n"
                + "  " + n[3] + " = tanh(" + n[0] + " /*" + comment + "*/ *\n    " + n[2] + ")\n"
                + "  " + n[4] + " = sigmoid(dense(" + n[3] + ", 4, weights: values(0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7,"
                + " -0.8, 0.9, -1.0, 1.1, -1.2), biases: constant(0.1)))\n"
                + "  output " + n[5] + " = dense(" + n[4] + ", 1, weights: values(0.3, -0.1, 0.2, 0.4))\n"
                + "  loss mse(" + n[5] + ", " + n[1] + ")\n"
                + "}\n";
    }

    @Test
    void randomNamesAndCommentsCompileToASCIIAndBehaveLikePlainNames() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        Random random = new Random(17);
        while (texts.size() < 60) {
            List<String> names = new java.util.ArrayList<>();
            while (names.size() < 7) {
                String name = randomName(random, names);
                if (!names.contains(name) && !nnc.parse.Parser.RESERVED.contains(name)) {
                    names.add(name);
                }
            }
            texts.add(valuesModel(names.toArray(String[]::new), NASTY.get(random.nextInt(NASTY.size()))));
        }
        double[] plain = run(compile(valuesModel(new String[] {"x", "y", "w", "h", "g", "out", "Plain"}, "")));
        List<Model> models = compileAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(List.of(boxed(plain)), List.of(boxed(run(models.get(i)))), texts.get(i));
        }
    }
}
