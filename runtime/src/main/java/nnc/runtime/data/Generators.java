package nnc.runtime.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import nnc.runtime.ErrorCode;
import nnc.runtime.Rng;

/**
 * Built-in data sets for the course's samples: synthetic ones, reproducible from a seed, and
 * Fashion-MNIST from its Debian package.
 */
public final class Generators {
    private Generators() {}

    /** A training set and, if the data set has one, a validation set (else null). */
    public record Split(Dataset train, Dataset validation) {}

    private static final List<String> NAMES = List.of("regression", "regression-noisy", "toy", "fashion-mnist",
            "fashion-mnist-images", "weight-decay", "xor", "logistic", "backprop");

    public static List<String> builtinNames() {
        return NAMES;
    }

    /**
     * The course's curve (section 1.1): x ~ Normal(0, 1), y = (x - 2) cos(4x), plus Normal(0,
     * noiseStd) noise when noiseStd &gt; 0. Columns {@code x} and {@code y}, one value each.
     */
    public static Dataset regression(String source, int n, double noiseStd, Rng rng) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            y[i] = regressionCurve(x[i]);
            if (noiseStd > 0) {
                y[i] += noiseStd * rng.nextGaussian();
            }
        }
        return xy(source, new int[] {1}, x, y);
    }

    /** The course's curve without noise: (x - 2) cos(4x). */
    public static double regressionCurve(double x) {
        return (x - 2) * Math.cos(4 * x);
    }

    /**
     * The function a built-in data set's y was drawn from, without noise, where it has one of one
     * number: {@code regression} and {@code regression-noisy}; empty for the others.
     */
    public static Optional<DoubleUnaryOperator> trueFunction(String name) {
        return name.equals("regression") || name.equals("regression-noisy") ? Optional.of(Generators::regressionCurve) : Optional.empty();
    }

    /** The toy model's single pair (section 1.5): x = 2.3, y = 2.0, scalars. */
    public static Dataset toy() {
        return xy("builtin:toy", new int[0], new double[] {2.3}, new double[] {2.0});
    }

    private static Dataset xy(String source, int[] shape, double[] x, double[] y) {
        Map<String, Dataset.Column> columns = new LinkedHashMap<>();
        columns.put("x", new Dataset.Column(shape, x));
        columns.put("y", new Dataset.Column(shape, y));
        return Dataset.of(source, columns);
    }

    /**
     * The course's high-dimensional linear regression (section 1.4): 200 inputs x ~ Normal(0, 1),
     * y = 0.05 + sum 0.01 x_i + Normal(0, 0.01^2) noise.
     */
    public static Dataset weightDecay(String source, int n, Rng rng) {
        int d = 200;
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0.05;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rng.nextGaussian();
                sum += 0.01 * x[i * d + j];
            }
            y[i] = sum + 0.01 * rng.nextGaussian();
        }
        return xy(source, new int[] {d}, x, new int[] {1}, y);
    }

    /** The four points of XOR. */
    public static Dataset xor() {
        return xy("builtin:xor", new int[] {2}, new double[] {0, 0, 0, 1, 1, 0, 1, 1}, new int[] {1}, new double[] {0, 1, 1, 0});
    }

    /**
     * Two classes of points in the plane for logistic regression (section 1.10): class 1 around
     * (1, 1), class 0 around (-1, -1), both Normal with standard deviation 1.
     */
    public static Dataset logistic(int n, Rng rng) {
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double centre = y[i] == 1 ? 1 : -1;
            x[2 * i] = centre + rng.nextGaussian();
            x[2 * i + 1] = centre + rng.nextGaussian();
        }
        return xy("builtin:logistic", new int[] {2}, x, new int[] {1}, y);
    }

    /** The worked backpropagation example's one sample (section 1.9): inputs (0.05, 0.10), targets (0.01, 0.99). */
    public static Dataset backprop() {
        return xy("builtin:backprop", new int[] {2}, new double[] {0.05, 0.10}, new int[] {2}, new double[] {0.01, 0.99});
    }

    private static Dataset xy(String source, int[] xShape, double[] x, int[] yShape, double[] y) {
        Map<String, Dataset.Column> columns = new LinkedHashMap<>();
        columns.put("x", new Dataset.Column(xShape, x));
        columns.put("y", new Dataset.Column(yShape, y));
        return Dataset.of(source, columns);
    }

    /**
     * A named built-in data set: {@code regression} (512 training and 102 validation points),
     * {@code regression-noisy} (the same with noise of standard deviation 0.5), {@code toy},
     * {@code weight-decay} (20 training and 100 test points), {@code xor}, {@code logistic} (200 and
     * 100), {@code backprop}; {@code fashion-mnist} (60,000 training images, the 10,000 test images
     * as validation; {@code x} flattened to [784]) and {@code fashion-mnist-images} (the same with
     * {@code x} of shape [1, 28, 28]), read from {@link FashionMnist#DEFAULT_DIR}; the seed does not
     * change these two.
     */
    public static Split builtin(String name, long seed) {
        return switch (name) {
            case "regression", "regression-noisy" -> {
                double noise = name.equals("regression") ? 0 : 0.5;
                String src = "builtin:" + name;
                yield new Split(regression(src, 512, noise, Rng.forStream(seed, "regression.train")),
                        regression(src, 102, noise, Rng.forStream(seed, "regression.validation")));
            }
            case "toy" -> new Split(toy(), null);
            case "weight-decay" -> new Split(weightDecay("builtin:weight-decay", 20, Rng.forStream(seed, "weight-decay.train")),
                    weightDecay("builtin:weight-decay", 100, Rng.forStream(seed, "weight-decay.test")));
            case "xor" -> new Split(xor(), null);
            case "logistic" -> new Split(logistic(200, Rng.forStream(seed, "logistic.train")),
                    logistic(100, Rng.forStream(seed, "logistic.test")));
            case "backprop" -> new Split(backprop(), null);
            case "fashion-mnist" -> FashionMnist.load(FashionMnist.DEFAULT_DIR);
            case "fashion-mnist-images" -> FashionMnist.loadImages(FashionMnist.DEFAULT_DIR);
            default -> throw DataException.in(ErrorCode.E502, "builtin:" + name, "no such built-in data set (there are: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
