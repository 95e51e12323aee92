package nnc.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import nnc.runtime.Model;
import nnc.runtime.Trainer.EpochResult;
import nnc.runtime.data.Dataset;
import org.knowm.xchart.XYChart;

/** The pictures of a training run, each as a PNG and an SVG file: what {@code nnc train --plots DIR} writes. */
public final class TrainingPlots {
    private TrainingPlots() {}

    /**
     * {@code loss} for any run with an epoch; {@code accuracy} for a classifier; and for a model
     * that maps one number to one number, {@code function}: the learned function over the range
     * of the training and validation data's x, with the training data and, if given, the true
     * function.
     *
     * @param model the trained model (its input and output buffers are overwritten)
     * @param validation null without one
     * @param truth the function the data were drawn from, or null if unknown
     * @return the files written
     */
    public static List<Path> write(Path dir, Model model, List<EpochResult> epochs, Dataset train, Dataset validation,
            DoubleUnaryOperator truth) throws IOException {
        List<Path> written = new ArrayList<>(writeCurves(dir, model.name(), epochs));
        if (FunctionPlot.applies(model)) {
            Optional<FunctionPlot.Curve> points = FunctionPlot.data(model, train);
            if (points.isPresent()) {
                double[] range = FunctionPlot.range(points.get());
                Optional<FunctionPlot.Curve> more = FunctionPlot.data(model, validation);
                if (more.isPresent()) {
                    double[] r = FunctionPlot.range(more.get());
                    range = new double[] {Math.min(range[0], r[0]), Math.max(range[1], r[1])};
                }
                FunctionPlot.Curve learned = FunctionPlot.learned(model, range[0], range[1], FunctionPlot.POINTS);
                FunctionPlot.Curve truthCurve = truth == null ? null : FunctionPlot.of(truth, range[0], range[1], FunctionPlot.POINTS);
                XYChart chart = FunctionPlot.chart(model.name(), model.inputs().get(0).name(), model.outputs().get(0).name(), learned,
                        points.get(), truthCurve);
                written.addAll(ChartFiles.write(chart, dir, "function"));
            }
        }
        return written;
    }

    /** {@code loss} and, if the epochs have an accuracy, {@code accuracy}: what {@code nnc plot} redraws from a history. */
    public static List<Path> writeCurves(Path dir, String model, List<EpochResult> epochs) throws IOException {
        List<Path> written = new ArrayList<>();
        Optional<XYChart> loss = Curves.loss(model, epochs);
        if (loss.isPresent()) {
            written.addAll(ChartFiles.write(loss.get(), dir, "loss"));
        }
        Optional<XYChart> accuracy = Curves.accuracy(model, epochs);
        if (accuracy.isPresent()) {
            written.addAll(ChartFiles.write(accuracy.get(), dir, "accuracy"));
        }
        return written;
    }
}
