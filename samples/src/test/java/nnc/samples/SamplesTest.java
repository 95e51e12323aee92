package nnc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.Compiler;
import nnc.codegen.Precision;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.interp.Differential;
import nnc.interp.InterpretedModel;
import nnc.interp.Interpreter;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Generators;
import org.junit.jupiter.api.Test;

/** The course's samples compile, train, and behave as the course says. */
class SamplesTest {
    static final Path SAMPLES = Path.of("src/main/nn");

    static Compiler.Result compile(String file, Precision precision) throws Exception {
        return compile(file, precision, null);
    }

    /** The sample compiled for batches of at most {@code maxBatch} (null: its own batch size). */
    static Compiler.Result compile(String file, Precision precision, Integer maxBatch) throws Exception {
        Path path = SAMPLES.resolve(file);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        Reporter reporter = new Reporter(new PrintStream(diagnostics, true, StandardCharsets.UTF_8));
        Compiler.Result r = Compiler.compile(new Source(path.toString(), Files.readString(path)),
                Compiler.Options.defaults().withPackage("nnc.samples.generated").withPrecision(precision).withMaxBatch(maxBatch),
                reporter);
        assertNotNull(r, () -> diagnostics.toString(StandardCharsets.UTF_8));
        assertEquals("", diagnostics.toString(StandardCharsets.UTF_8), "no warnings either");
        return r;
    }

    @Test
    void everySampleCompilesToJavaThatCompilesWithoutWarnings() throws Exception {
        try (var files = Files.list(SAMPLES)) {
            List<Path> samples = files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
            assertTrue(samples.size() >= 2, "samples: " + samples);
            for (Path p : samples) {
                for (Precision precision : Precision.values()) {
                    Compiler.Result r = compile(p.getFileName().toString(), precision);
                    assertEquals(List.of(), r.load().warnings(), p + " " + precision);
                }
            }
        }
    }

    /**
     * The course's regression set-up (section 1.1): 1000 epochs of SGD at lr 0.1, batch 128, on 512
     * points. The training MSE must end at least 20 times below where it started.
     */
    @Test
    void regressionTrainsWithTheCourseSettings() throws Exception {
        Compiler.Result r = compile("regression.nn", Precision.FLOAT);
        var settings = r.model().train();
        assertEquals(1000, settings.epochs());
        assertEquals(128, settings.batch());
        assertEquals(0.1, settings.lr());
        Model m = r.load().newModel();
        m.initialize(settings.seed());
        Generators.Split data = Generators.builtin("regression", settings.seed());
        Trainer trainer = new Trainer(new Trainer.Config(settings.epochs(), settings.batch(), false, settings.seed()));
        Trainer.Summary s = trainer.train(m, new Sgd(settings.lr()), data.train(), data.validation(), new TrainingListener() {});
        assertTrue(s.finalTrainLoss() * 20 <= s.initialTrainLoss(),
                "train MSE " + s.initialTrainLoss() + " -> " + s.finalTrainLoss());
        assertTrue(Double.isFinite(s.finalValidationLoss()));
    }

    /**
     * The course's toy model (section 1.5): the eight derivatives of the loss, computed by the
     * generated class in double precision, against central finite differences of its loss.
     */
    @Test
    void toyModelGradientsMatchFiniteDifferences() throws Exception {
        Compiler.Result r = compile("toy.nn", Precision.DOUBLE);
        Model m = r.load().newModel();
        m.initialize(0);
        assertEquals(8, m.parameters().size());
        m.inputs().get(0).set(0, 2.3);
        m.targets().get(0).set(0, 2.0);
        m.trainStep(1);
        double h = 1e-6;
        for (Parameter p : m.parameters()) {
            double symbolic = p.grad().get(0);
            double saved = p.value().get(0);
            p.value().set(0, saved + h);
            double up = m.loss(1);
            p.value().set(0, saved - h);
            double down = m.loss(1);
            p.value().set(0, saved);
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(symbolic - numeric) / Math.max(1e-4, Math.max(Math.abs(symbolic), Math.abs(numeric)));
            assertTrue(err < 1e-6, p.name() + ": " + symbolic + " vs " + numeric);
        }
    }

    /** The toy model's forward pass by hand, with the course's values, against the generated class. */
    @Test
    void toyModelComputesTheCourseFunction() throws Exception {
        Compiler.Result r = compile("toy.nn", Precision.DOUBLE);
        Model m = r.load().newModel();
        m.initialize(0);
        double x = 2.3;
        double f = 0.0 + 0.9 * Math.cos(10.0 + -0.1 * Math.exp(2.0 + -1.0 * Math.sin(1.0 + 1.0 * x)));
        m.inputs().get(0).set(0, x);
        m.targets().get(0).set(0, 2.0);
        double loss = m.loss(1);
        assertEquals((f - 2.0) * (f - 2.0), loss, 1e-12);
        assertEquals(f, m.outputs().get(0).get(0), 1e-12);
    }

    /**
     * Every sample, float and double, generated against interpreted: outputs, loss, gradients and
     * parameters after ten steps, at batch sizes 1, 3 and the maximum. Convolutional samples are
     * compiled for batches of 4: interpreting them costs millions of multiply-adds per sample and step.
     */
    @Test
    void everySampleAgreesWithTheInterpreter() throws Exception {
        try (var files = Files.list(SAMPLES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".nn")).sorted().toList()) {
                for (Precision precision : Precision.values()) {
                    Compiler.Result r = compile(p.getFileName().toString(), precision);
                    if (r.optimized().nodes().stream().anyMatch(n -> n.op() == nnc.ir.Op.CONV2D)) {
                        r = compile(p.getFileName().toString(), precision, 4);
                    }
                    Model generated = r.load().newModel();
                    Model interpreted = new InterpretedModel(r.optimized(), r.maxBatch(), precision == Precision.DOUBLE);
                    int max = r.maxBatch();
                    int[] batches = max >= 3 ? new int[] {1, 3, max} : new int[] {1, max};
                    var bad = Differential.compare(generated, interpreted, batches, 10,
                            precision == Precision.DOUBLE ? 1e-12 : 1e-5, 42);
                    assertEquals(List.of(), bad, p + " " + precision);
                }
            }
        }
    }

    /** The generated class and the interpreter agree on the regression sample's gradients. */
    @Test
    void regressionGeneratedAndInterpretedAgree() throws Exception {
        Compiler.Result r = compile("regression.nn", Precision.DOUBLE);
        Model m = r.load().newModel();
        m.initialize(3);
        Interpreter in = new Interpreter(r.optimized(), m.maxBatch());
        for (Parameter p : m.parameters()) {
            double[] v = in.leaf(p.name());
            for (int i = 0; i < v.length; i++) {
                v[i] = p.value().get(i);
            }
        }
        Generators.Split data = Generators.builtin("regression", 0);
        int n = 100;
        double[] xs = data.train().data("x");
        double[] ys = data.train().data("y");
        for (int i = 0; i < n; i++) {
            m.inputs().get(0).set(i, xs[i]);
            m.targets().get(0).set(i, ys[i]);
            in.leaf("x")[i] = xs[i];
            in.leaf("y")[i] = ys[i];
        }
        assertEquals(in.trainStep(n), m.trainStep(n), 1e-12);
        for (Parameter p : m.parameters()) {
            double[] g = in.gradient(p.name());
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i], p.grad().get(i), 1e-12 * Math.max(1, Math.abs(g[i])), p.name() + "[" + i + "]");
            }
        }
    }
}
