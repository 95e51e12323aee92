package nnc.runtime.data;

import static nnc.runtime.data.IdxTest.gzip;
import static nnc.runtime.data.IdxTest.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on small files written here; {@link FashionMnistDataTest} reads the real data. */
class FashionMnistTest {
    @TempDir
    Path dir;

    /** {@code n} images whose pixel k of image i is (i + k) mod 256. */
    static byte[] images(int n, int rows, int columns) {
        byte[] pixels = new byte[n * rows * columns];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * columns; k++) {
                pixels[i * rows * columns + k] = (byte) (i + k);
            }
        }
        return idx(Idx.IMAGES, new int[] {n, rows, columns}, pixels);
    }

    static byte[] labels(int... classes) {
        byte[] b = new byte[classes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) classes[i];
        }
        return idx(Idx.LABELS, new int[] {b.length}, b);
    }

    /** Three training and two test images; the training files gzip-compressed, the test files plain. */
    void writeSmallSet() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(3, 28, 28)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(9, 0, 4)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(2, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2));
    }

    @Test
    void pixelsAreScaledToTheUnitIntervalAndLabelsAreClassIndices() throws IOException {
        writeSmallSet();
        Generators.Split s = FashionMnist.load(dir);
        Dataset train = s.train();
        assertEquals(3, train.size());
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz").toString(), train.source());
        assertArrayEquals(new int[] {784}, train.shape("x"));
        assertArrayEquals(new int[0], train.shape("y"));
        double[] x = train.data("x");
        assertEquals(0, x[0]);
        assertEquals(255 / 255.0, x[255]);
        assertEquals(0, x[256]); // 256 wraps to 0
        assertEquals(2 / 255.0, x[784 + 1]); // image 1, pixel 1
        assertArrayEquals(new double[] {9, 0, 4}, train.data("y"));
        assertEquals(2, s.validation().size());
        assertEquals(dir.resolve("t10k-images-idx3-ubyte").toString(), s.validation().source());
        assertArrayEquals(new double[] {1, 2}, s.validation().data("y"));
    }

    @Test
    void theImagesVariantHasOneChannelOfRowsAndColumnsOverTheSameData() throws IOException {
        writeSmallSet();
        Generators.Split flat = FashionMnist.load(dir);
        Generators.Split images = FashionMnist.loadImages(dir);
        assertArrayEquals(new int[] {1, 28, 28}, images.train().shape("x"));
        assertEquals(784, images.train().width("x"));
        assertArrayEquals(flat.train().data("x"), images.train().data("x"));
        assertArrayEquals(flat.validation().data("y"), images.validation().data("y"));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        writeSmallSet();
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2, 3));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": error[E511]: 2 images, but " + dir.resolve("t10k-labels-idx1-ubyte")
                + " has 3 labels", e.getMessage());
    }

    @Test
    void labelsOutsideTheTenClassesAreReportedWithTheirRecord() throws IOException {
        writeSmallSet();
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(9, 10, 4)));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz") + ": error[E508]: record 1 (counting from 0): label 10, expected a class 0..9",
                e.getMessage());
    }

    @Test
    void imagesMustBe28By28() throws IOException {
        writeSmallSet();
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(2, 32, 32));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": error[E511]: images of 32x32 pixels, expected 28x28", e.getMessage());
    }

    @Test
    void filesInTheWrongRoleAreCaughtByTheirMagicNumber() throws IOException {
        writeSmallSet();
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(images(3, 28, 28)));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz") + ": error[E510]: magic number 0x00000803, expected 0x00000801"
                + " (unsigned bytes, 1 dimension)", e.getMessage());
    }

    @Test
    void aMissingFileSaysHowToInstallTheDataSet() throws IOException {
        writeSmallSet();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz") + ": error[E511]: no such file (nor t10k-labels-idx1-ubyte); Fashion-MNIST is"
                + " missing: install it with: apt-get install dataset-fashion-mnist", e.getMessage());
        Path nowhere = dir.resolve("nowhere");
        e = assertThrows(DataException.class, () -> FashionMnist.load(nowhere));
        assertEquals(nowhere.resolve("train-images-idx3-ubyte.gz") + ": error[E511]: no such file (nor train-images-idx3-ubyte), and no folder "
                + nowhere + "; Fashion-MNIST is missing: install it with: apt-get install dataset-fashion-mnist", e.getMessage());
    }
}
