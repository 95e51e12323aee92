package nnc.plot;

import static nnc.plot.Pictures.pixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.Model;
import nnc.runtime.Sgd;
import nnc.runtime.Trainer;
import nnc.runtime.TrainingListener;
import nnc.runtime.data.Generators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code nnc train --plots} writes, from a real (short) training run. */
class TrainingPlotsTest {
    @TempDir
    Path dir;

    private static List<Trainer.EpochResult> train(Model m, Generators.Split data, int epochs, double lr) {
        List<Trainer.EpochResult> history = new ArrayList<>();
        new Trainer(new Trainer.Config(epochs, m.maxBatch(), false, 0)).train(m, new Sgd(lr), data.train(), data.validation(),
                new TrainingListener() {
                    @Override
                    public void onEpoch(Trainer.EpochResult r) {
                        history.add(r);
                    }
                });
        return history;
    }

    @Test
    void aRegressionGetsItsLossAndItsLearnedFunctionAgainstTheTrueOne() throws Exception {
        Model m = FunctionPlotTest.compile(FunctionPlotTest.MLP, 128);
        // With noise, so that the points are not hidden under the true curve.
        Generators.Split data = Generators.builtin("regression-noisy", 0);
        List<Trainer.EpochResult> history = train(m, data, 10, 0.1);
        List<Path> files = TrainingPlots.write(dir, m, history, data.train(), data.validation(),
                Generators.trueFunction("regression-noisy").orElseThrow());
        assertEquals(List.of("loss.png", "loss.svg", "function.png", "function.svg"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        Pictures.holdsExactly(dir, "loss.png", "loss.svg", "function.png", "function.svg");
        BufferedImage function = Pictures.png(dir.resolve("function.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(function, Style.RED) > 300 && pixels(function, Style.GREEN) > 300 && pixels(function, Style.GREY) > 300);
        assertTrue(Pictures.text(Pictures.svg(dir.resolve("function.svg")), "desc").endsWith("series: true function, learned function, training data"));

        // Drawing again replaces the files in place.
        TrainingPlots.write(dir, m, history.subList(0, 5), data.train(), null, null);
        Pictures.holdsExactly(dir, "loss.png", "loss.svg", "function.png", "function.svg");
        assertEquals(4 + 1, Pictures.drawn(Pictures.svg(dir.resolve("loss.svg")), "stroke", Style.TRAIN).size(),
                "the shorter history's chart: 4 segments and the legend's");
        assertTrue(Pictures.text(Pictures.svg(dir.resolve("function.svg")), "desc").endsWith("series: learned function, training data"),
                "no true function given");
    }

    @Test
    void aClassifierGetsLossAndAccuracyButNoFunction() throws Exception {
        Model m = FunctionPlotTest.compile("""
                model Classes {
                  input x: [2]
                  target y: class(2)
                  output scores = dense(x, 2)
                  loss cross_entropy(scores, y)
                }
                """, 20);
        Generators.Split data = Generators.builtin("logistic", 0);
        List<Trainer.EpochResult> history = train(m, data, 5, 0.5);
        TrainingPlots.write(dir.resolve("new/folder"), m, history, data.train(), data.validation(), null);
        Pictures.holdsExactly(dir.resolve("new/folder"), "loss.png", "loss.svg", "accuracy.png", "accuracy.svg");
        BufferedImage accuracy = Pictures.png(dir.resolve("new/folder/accuracy.png"), Style.WIDTH, Style.HEIGHT);
        assertTrue(pixels(accuracy, Style.TRAIN) > 300 && pixels(accuracy, Style.VALIDATION) > 300);
    }
}
