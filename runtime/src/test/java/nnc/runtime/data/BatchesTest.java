package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import nnc.runtime.Model;
import nnc.runtime.Rng;
import nnc.runtime.Tensor;
import org.junit.jupiter.api.Test;

class BatchesTest {
    static Dataset numbered(int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = -i;
        }
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[0], x));
        c.put("y", new Dataset.Column(new int[0], y));
        return Dataset.of("numbers", c);
    }

    static Model model(int maxBatch) {
        return new nnc.runtime.TestModels().linear(maxBatch);
    }

    @Test
    void inOrderWithAShortLastBatch() {
        Model m = model(4);
        Batches b = Batches.of(m, numbered(10), 4, null);
        assertEquals(3, b.count());
        assertEquals(4, b.load(0));
        assertEquals(2, b.load(2));
        Tensor x = m.inputs().get(0);
        Tensor y = m.targets().get(0);
        assertEquals(8.0, x.get(0));
        assertEquals(-9.0, y.get(1));
    }

    @Test
    void shufflingVisitsEverySampleOncePerEpoch() {
        Model m = model(3);
        Batches b = Batches.of(m, numbered(10), 3, Rng.of(4));
        b.shuffle();
        TreeSet<Double> seen = new TreeSet<>();
        boolean moved = false;
        for (int k = 0; k < b.count(); k++) {
            int n = b.load(k);
            for (int i = 0; i < n; i++) {
                double v = m.inputs().get(0).get(i);
                seen.add(v);
                moved |= v != k * 3 + i;
                assertEquals(-v, m.targets().get(0).get(i), 0.0); // inputs and targets stay paired
            }
        }
        assertEquals(10, seen.size());
        assertEquals(true, moved);
    }

    @Test
    void aFloatModelsBatchesAreTheRowsRoundedToFloat() {
        // The first batch is rounded from the doubles, later ones copied from the data set's float copy.
        int n = 10;
        int width = 3;
        double[] x = new double[n * width];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 10.0 + 1e-12; // not a float: each value must be rounded the same way on both paths
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
        }
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[] {width}, x));
        c.put("y", new Dataset.Column(new int[] {1}, y));
        Dataset data = Dataset.of("tenths", c);
        Model m = new nnc.runtime.TestModels().classifier(width, 2, 4);
        Tensor input = m.inputs().get(0);
        Batches b = Batches.of(m, data, 4, Rng.forStream(3, "shuffle"));
        for (int epoch = 0; epoch < 3; epoch++) {
            b.shuffle();
            int[] order = b.order();
            for (int batch = 0; batch < b.count(); batch++) {
                int rows = b.load(batch);
                for (int r = 0; r < rows; r++) {
                    int sample = order[batch * 4 + r];
                    for (int i = 0; i < width; i++) {
                        assertEquals((float) x[sample * width + i], input.floats()[r * width + i],
                                "epoch " + epoch + ", batch " + batch + ", row " + r);
                    }
                }
            }
        }
        assertSame(data.floats("x"), data.floats("x"), "the float copy is made once");
    }

    @Test
    void aMissingOrMisshapenColumnIsNamed() {
        Map<String, Dataset.Column> c = new LinkedHashMap<>();
        c.put("x", new Dataset.Column(new int[] {2}, new double[] {1, 2}));
        c.put("y", new Dataset.Column(new int[0], new double[] {1}));
        DataException e = assertThrows(DataException.class, () -> Batches.of(model(2), Dataset.of("d.csv", c), 1, null));
        assertEquals("d.csv: error[E507]: x has 2 values per sample, but the model's x [batch] needs 1", e.getMessage());
        Map<String, Dataset.Column> onlyX = Map.of("x", new Dataset.Column(new int[0], new double[] {1}));
        e = assertThrows(DataException.class, () -> Batches.of(model(2), Dataset.of("d.csv", onlyX), 1, null));
        assertEquals("d.csv: error[E507]: no data for y [batch] (it has x)", e.getMessage());
    }

    @Test
    void aBatchLargerThanTheModelAllowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batches.of(model(2), numbered(5), 3, null));
        assertEquals("batch size 3 is outside 1..2 (the model was compiled for batches of up to 2)", e.getMessage());
    }

    @Test
    void aClassifiersLabelsMustBeClassIndices() {
        Model m = new nnc.runtime.TestModels().classifier(2, 3, 4);
        for (double bad : new double[] {3, -1, 1.5, Double.NaN}) {
            Map<String, Dataset.Column> c = new LinkedHashMap<>();
            c.put("x", new Dataset.Column(new int[] {2}, new double[] {0, 1, 2, 3, 4, 5}));
            c.put("y", new Dataset.Column(new int[0], new double[] {2, 0, bad}));
            DataException e = assertThrows(DataException.class, () -> Batches.of(m, Dataset.of("d.csv", c), 2, null));
            String text = bad == Math.rint(bad) ? Long.toString((long) bad) : Double.toString(bad);
            assertEquals("d.csv: error[E508]: sample 2 (counting from 0): y is " + text + ", not a class index 0..2", e.getMessage());
        }
        Map<String, Dataset.Column> good = new LinkedHashMap<>();
        good.put("x", new Dataset.Column(new int[] {2}, new double[] {0, 1, 2, 3, 4, 5}));
        good.put("y", new Dataset.Column(new int[0], new double[] {2, 0, 1}));
        assertEquals(2, Batches.of(m, Dataset.of("d.csv", good), 2, null).count());
    }
}
