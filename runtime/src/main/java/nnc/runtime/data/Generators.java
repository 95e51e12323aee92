package nnc.runtime.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.Rng;

/**
 * Built-in data sets for the course's samples: synthetic ones, reproducible from a seed, and
 * Fashion-MNIST from its Debian package.
 */
public final class Generators {
    private Generators() {}

    /** A training set and, if the data set has one, a validation set (else null). */
    public record Split(Dataset train, Dataset validation) {}

    private static final List<String> NAMES = List.of("regression", "regression-noisy", "toy", "fashion-mnist", "fashion-mnist-images");

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
            y[i] = (x[i] - 2) * Math.cos(4 * x[i]);
            if (noiseStd > 0) {
                y[i] += noiseStd * rng.nextGaussian();
            }
        }
        return xy(source, new int[] {1}, x, y);
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
     * A named built-in data set: {@code regression} (512 training and 102 validation points),
     * {@code regression-noisy} (the same with noise of standard deviation 0.5), {@code toy},
     * {@code fashion-mnist} (60,000 training images, the 10,000 test images as validation; {@code x}
     * flattened to [784]) and {@code fashion-mnist-images} (the same with {@code x} of shape
     * [1, 28, 28]), read from {@link FashionMnist#DEFAULT_DIR}; the seed does not change them.
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
            case "fashion-mnist" -> FashionMnist.load(FashionMnist.DEFAULT_DIR);
            case "fashion-mnist-images" -> FashionMnist.loadImages(FashionMnist.DEFAULT_DIR);
            default -> throw new DataException("builtin:" + name + ": no such built-in data set (there are: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
