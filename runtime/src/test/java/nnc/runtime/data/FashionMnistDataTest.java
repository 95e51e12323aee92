package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Fashion-MNIST from the Debian package. Without the package these tests fail, with the
 * loader's message saying how to install it: the course's models cannot be checked without it.
 */
class FashionMnistDataTest {
    static Generators.Split data;

    @BeforeAll
    static void load() {
        data = Generators.builtin("fashion-mnist", 0);
    }

    @Test
    void sixtyThousandTrainingAndTenThousandTestImages() {
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.validation().size());
        assertEquals(60_000 * 784, data.train().data("x").length);
        assertArrayEquals(new int[] {784}, data.train().shape("x"));
        assertEquals(FashionMnist.DEFAULT_DIR.resolve("train-images-idx3-ubyte.gz").toString(), data.train().source());
    }

    @Test
    void pixelsSpanTheUnitInterval() {
        for (Dataset d : new Dataset[] {data.train(), data.validation()}) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double v : d.data("x")) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertEquals(0, min, d.source());
            assertEquals(1, max, d.source());
            // Fashion-MNIST's mean pixel is about 0.286 in both sets.
            assertEquals(0.286, sum / d.data("x").length, 0.005, d.source());
        }
    }

    @Test
    void everyClassHasAsManyImagesAsTheOthers() {
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, histogram(data.train()));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, histogram(data.validation()));
    }

    @Test
    void labelsKeepTheFilesOrder() {
        // The first training image is an ankle boot (9), then two T-shirts (0), a dress (3).
        assertArrayEquals(new double[] {9, 0, 0, 3, 0}, Arrays.copyOf(data.train().data("y"), 5));
        assertArrayEquals(new double[] {9, 2, 1, 1, 6}, Arrays.copyOf(data.validation().data("y"), 5));
    }

    @Test
    void theImagesVariantHoldsTheSameData() {
        Generators.Split images = Generators.builtin("fashion-mnist-images", 0);
        assertArrayEquals(new int[] {1, 28, 28}, images.train().shape("x"));
        assertArrayEquals(data.validation().data("x"), images.validation().data("x"));
    }

    static int[] histogram(Dataset d) {
        int[] counts = new int[10];
        for (double y : d.data("y")) {
            counts[(int) y]++;
        }
        return counts;
    }
}
