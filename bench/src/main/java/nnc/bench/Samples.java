package nnc.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.Compiler;
import nnc.codegen.InMemoryJavac;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.InterpretedModel;
import nnc.runtime.Model;
import nnc.runtime.Tensor;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Generators;

/** The sample models and their data, as the benchmarks use them. */
final class Samples {
    private Samples() {}

    /** Where the sample .nn files are: {@code -Dnnc.samples=DIR}, by default as seen from bench/. */
    static Path dir() {
        return Path.of(System.getProperty("nnc.samples", "../samples/src/main/nn"));
    }

    /** The sample's .nn file, found anywhere below {@link #dir()}. */
    static Source source(String sample) throws IOException {
        try (var files = Files.walk(dir())) {
            Path p = files.filter(f -> f.getFileName().toString().equals(sample + ".nn")).findFirst()
                    .orElseThrow(() -> new IOException("no " + sample + ".nn below " + dir().toAbsolutePath()));
            return new Source(p.toString(), Files.readString(p));
        }
    }

    static Compiler.Result compile(Source source) {
        return compile(source, true);
    }

    /** The sample compiled to SIMD code (vector) or to scalar loops. */
    static Compiler.Result compile(Source source, boolean vector) {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        Compiler.Result r = Compiler.compile(source, Compiler.Options.defaults().withPackage("nnc.bench.generated")
                .withVector(vector),
                new Reporter(new PrintStream(messages, true, StandardCharsets.UTF_8)));
        if (r == null) {
            throw new IllegalStateException(messages.toString(StandardCharsets.UTF_8));
        }
        return r;
    }

    /**
     * The model compiled to a class ({@code generated}: SIMD code; {@code scalar}: scalar loops), or
     * {@code interpreted}, initialised and filled with its data set.
     */
    static Model model(String sample, String engine) throws IOException, InMemoryJavac.CompileException {
        Compiler.Result r = compile(source(sample), !engine.equals("scalar"));
        Model m = !engine.equals("interpreted") ? r.load().newModel()
                : new InterpretedModel(r.optimized(), r.maxBatch(), false);
        m.initialize(0);
        if (sample.equals("cnn")) {
            // No built-in data set has 3 x 32 x 32 images: pixels and classes from a seeded generator.
            java.util.Random random = new java.util.Random(0);
            Tensor x = m.inputs().get(0);
            for (int i = 0; i < x.length(); i++) {
                x.set(i, random.nextDouble());
            }
            Tensor y = m.targets().get(0);
            for (int i = 0; i < y.length(); i++) {
                y.set(i, random.nextInt(10));
            }
            return m;
        }
        Dataset data = Generators.builtin(data(sample), 0).train();
        fill(m.inputs().get(0), data.data("x"));
        fill(m.targets().get(0), data.data("y"));
        return m;
    }

    /**
     * Runs {@code step} until the JIT has compiled generated SIMD code: until five calls in a row
     * allocate nothing (code the JIT has not compiled yet boxes every vector), for at most a
     * minute. SIMD code interpreted or compiled by C1 is a hundred times slower than C2's, and a
     * Fashion-MNIST step is called too few times in JMH's warm-up iterations for C2 to finish.
     */
    static void warmUp(Runnable step) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 5; i++) {
                step.run();
            }
            if (threads.getThreadAllocatedBytes(id) - before < 1_000) {
                return;
            }
        }
    }

    /** The built-in data set each sample trains on. */
    static String data(String sample) {
        return switch (sample) {
            case "fashion_mlp", "fashion_dropout" -> "fashion-mnist";
            case "fashion_cnn" -> "fashion-mnist-images";
            case "weight_decay" -> "weight-decay";
            case "deep_relu", "dead_units" -> "regression";
            case "backprop_by_hand" -> "backprop";
            default -> sample;
        };
    }

    /** Repeats the data set as needed to fill every row of the buffer. */
    private static void fill(Tensor t, double[] values) {
        for (int i = 0; i < t.length(); i++) {
            t.set(i, values[i % values.length]);
        }
    }
}
