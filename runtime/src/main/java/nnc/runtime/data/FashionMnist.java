package nnc.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import nnc.runtime.ErrorCode;

/**
 * Fashion-MNIST (the course's sections 1.2, 1.3 and 1.8): 28x28 grey images of clothing in 10
 * classes, 60,000 for training and 10,000 for testing, as the four IDX files of the Debian package
 * {@code dataset-fashion-mnist}, gzip-compressed or not.
 *
 * <p>Columns: {@code x}, the pixels scaled from 0..255 to [0, 1], and {@code y}, the class index
 * 0..9 as a double, one value per sample. The test set is the split's validation member.
 */
public final class FashionMnist {
    private FashionMnist() {}

    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** What to do when the files are missing, as the error messages say it. */
    public static final String INSTALL_HINT = "install it with: apt-get install dataset-fashion-mnist";

    public static final int CLASSES = 10;
    public static final int ROWS = 28;
    public static final int COLUMNS = 28;

    /** Per-sample shape of {@code x} from {@link #load}: the image flattened row-major, for dense layers. */
    private static final int[] FLAT = {ROWS * COLUMNS};
    /** Per-sample shape of {@code x} from {@link #loadImages}: one channel of rows and columns, for convolutions. */
    private static final int[] IMAGES = {1, ROWS, COLUMNS};

    /** Training and test set from {@code dir}, {@code x} of shape [784]. */
    public static Generators.Split load(Path dir) {
        return load(dir, FLAT);
    }

    /** Training and test set from {@code dir}, {@code x} of shape [1, 28, 28]. */
    public static Generators.Split loadImages(Path dir) {
        return load(dir, IMAGES);
    }

    private static Generators.Split load(Path dir, int[] shape) {
        return new Generators.Split(read(dir, "train", shape), read(dir, "t10k", shape));
    }

    /**
     * One of the two sets: {@code PREFIX-images-idx3-ubyte} and {@code PREFIX-labels-idx1-ubyte}.
     * The data set is named after its images file in messages.
     */
    private static Dataset read(Path dir, String prefix, int[] shape) {
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Data images = Idx.read(imagesFile, Idx.IMAGES);
        int[] dims = images.dims();
        if (dims[1] != ROWS || dims[2] != COLUMNS) {
            throw DataException.in(ErrorCode.E511, images.source(), "images of " + dims[1] + "x" + dims[2] + " pixels, expected "
                    + ROWS + "x" + COLUMNS);
        }
        Idx.Data labels = Idx.read(labelsFile, Idx.LABELS);
        if (images.count() != labels.count()) {
            throw DataException.in(ErrorCode.E511, images.source(), images.count() + " images, but " + labels.source() + " has "
                    + labels.count() + " labels");
        }
        double[] y = labels.toDoubles(1);
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= CLASSES) {
                throw DataException.in(ErrorCode.E508, labels.source(), "record " + i + " (counting from 0): label " + (int) y[i]
                        + ", expected a class 0.." + (CLASSES - 1));
            }
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("x", shape);
        shapes.put("y", new int[0]);
        Map<String, double[]> data = Map.of("x", images.toDoubles(1.0 / 255), "y", y);
        return Dataset.wrap(images.source(), shapes, data);
    }

    /** {@code dir/name}, else {@code dir/name.gz}; a message that says how to install them if neither exists. */
    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw DataException.in(ErrorCode.E511, gz.toString(), "no such file (nor " + name + ")"
                + (Files.isDirectory(dir) ? "" : ", and no folder " + dir) + "; Fashion-MNIST is missing: " + INSTALL_HINT);
    }
}
