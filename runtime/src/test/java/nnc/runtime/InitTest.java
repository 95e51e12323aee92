package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InitTest {
    static Parameter param(int size) {
        return param(size, size, 1);
    }

    static Parameter param(int size, int fanIn, int fanOut) {
        return new Parameter("w", Tensor.of("w", new int[] {size}, new float[size]),
                Tensor.of("w.grad", new int[] {size}, new float[size]), Init.zeros(), fanIn, fanOut);
    }

    /** Mean, standard deviation, smallest and largest value of a filled parameter. */
    record Stats(double mean, double std, double min, double max) {}

    static Stats stats(Init init, Parameter p) {
        init.fill(p, Rng.of(1));
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.size(); i++) {
            double v = p.value().get(i);
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / p.size();
        double squares = 0;
        for (int i = 0; i < p.size(); i++) {
            double d = p.value().get(i) - mean;
            squares += d * d;
        }
        return new Stats(mean, Math.sqrt(squares / p.size()), min, max);
    }

    @Test
    void normalHasTheRequestedMeanAndDeviation() {
        Stats s = stats(Init.normal(0.5, 2), param(100_000));
        assertEquals(0.5, s.mean(), 0.03);
        assertEquals(2, s.std(), 0.03);
    }

    @Test
    void uniformCoversItsIntervalEvenly() {
        Stats s = stats(Init.uniform(-1, 3), param(100_000));
        assertEquals(1, s.mean(), 0.02);
        assertEquals(4 / Math.sqrt(12), s.std(), 0.01);
        assertTrue(s.min() >= -1 && s.min() < -0.99, s.toString());
        assertTrue(s.max() <= 3 && s.max() > 2.99, s.toString());
    }

    @Test
    void xavierNormalScalesWithFanInPlusFanOut() {
        Stats s = stats(Init.xavierNormal(), param(100_000, 300, 100));
        assertEquals(0, s.mean(), 0.001);
        assertEquals(Math.sqrt(2.0 / 400), s.std(), 0.001);
    }

    @Test
    void xavierUniformHasTheSameVarianceWithinItsBound() {
        double bound = Math.sqrt(6.0 / 400);
        Stats s = stats(Init.xavierUniform(), param(100_000, 300, 100));
        assertEquals(0, s.mean(), 0.001);
        assertEquals(Math.sqrt(2.0 / 400), s.std(), 0.001);
        assertTrue(s.min() >= -bound && s.min() < -0.99 * bound, s.toString());
        assertTrue(s.max() <= bound && s.max() > 0.99 * bound, s.toString());
    }

    @Test
    void heNormalUsesTheFanInUnlessFanOutIsSelected() {
        Stats in = stats(Init.heNormal(false), param(100_000, 50, 800));
        assertEquals(0, in.mean(), 0.002);
        assertEquals(Math.sqrt(2.0 / 50), in.std(), 0.002);
        Stats out = stats(Init.heNormal(true), param(100_000, 50, 800));
        assertEquals(0, out.mean(), 0.001);
        assertEquals(Math.sqrt(2.0 / 800), out.std(), 0.0005);
    }

    @Test
    void heUniformUsesTheSelectedFanAndStaysWithinItsBound() {
        Stats in = stats(Init.heUniform(false), param(100_000, 50, 800));
        assertEquals(Math.sqrt(2.0 / 50), in.std(), 0.002);
        assertTrue(in.max() <= Math.sqrt(6.0 / 50) && in.min() >= -Math.sqrt(6.0 / 50), in.toString());
        Stats out = stats(Init.heUniform(true), param(100_000, 50, 800));
        assertEquals(0, out.mean(), 0.001);
        assertEquals(Math.sqrt(2.0 / 800), out.std(), 0.0005);
        assertTrue(out.max() <= Math.sqrt(6.0 / 800) && out.max() > 0.99 * Math.sqrt(6.0 / 800), out.toString());
    }

    @Test
    void theSameGeneratorGivesTheSameValues() {
        Parameter a = param(10, 4, 4);
        Parameter b = param(10, 4, 4);
        Init.heNormal(false).fill(a, Rng.of(7));
        Init.heNormal(false).fill(b, Rng.of(7));
        assertEquals(a.value().get(9), b.value().get(9));
        Init.heNormal(false).fill(b, Rng.of(8));
        assertNotEquals(a.value().get(9), b.value().get(9));
    }

    @Test
    void scaledInitialisersNeedTheFans() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.heNormal(true).fill(param(4, 4, 0), Rng.of(1)));
        assertEquals("w: he_normal(fan_out) needs the fan-out of its layer, but it is 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform().fill(param(4, 0, 4), Rng.of(1)));
        assertEquals("w: xavier_uniform needs the fan-in and fan-out of its layer, but they are 0 and 4", e.getMessage());
    }

    @Test
    void constantAndZeros() {
        Parameter p = param(3);
        Init.constant(0.03).fill(p, Rng.of(1));
        assertEquals(0.03f, p.value().floats()[2]);
        Init.zeros().fill(p, Rng.of(1));
        assertEquals(0f, p.value().floats()[0]);
    }

    @Test
    void describedAsTheLanguageWritesThem() {
        assertEquals("normal(0, 1)", Init.normal(0, 1).describe());
        assertEquals("constant(0.03)", Init.constant(0.03).describe());
        assertEquals("zeros", Init.zeros().describe());
        assertEquals("uniform(-1, 1)", Init.uniform(-1, 1).describe());
        assertEquals("uniform(-0.5, 0.25)", Init.uniform(-0.5, 0.25).describe());
        assertEquals("xavier_normal", Init.xavierNormal().describe());
        assertEquals("xavier_uniform", Init.xavierUniform().describe());
        assertEquals("he_normal", Init.heNormal(false).describe());
        assertEquals("he_normal(fan_out)", Init.heNormal(true).describe());
        assertEquals("he_uniform", Init.heUniform(false).describe());
        assertEquals("he_uniform(fan_out)", Init.heUniform(true).describe());
    }

    @Test
    void ofMapsTheLanguagesNames() {
        assertEquals(Init.normal(0, 0.01), Init.of("normal", 0, 0.01));
        assertEquals(Init.uniform(-1, 1), Init.of("uniform", -1, 1));
        assertEquals(Init.constant(0.03), Init.of("constant", 0.03));
        assertEquals(Init.zeros(), Init.of("zeros"));
        assertEquals(Init.xavierNormal(), Init.of("xavier_normal"));
        assertEquals(Init.xavierUniform(), Init.of("xavier_uniform"));
        assertEquals(Init.heNormal(false), Init.of("he_normal"));
        assertEquals(Init.heNormal(false), Init.of("he_normal", 0));
        assertEquals(Init.heNormal(true), Init.of("he_normal", 1));
        assertEquals(Init.heUniform(false), Init.of("he_uniform"));
        assertEquals(Init.heUniform(true), Init.of("he_uniform", 1));
        for (String kind : new String[] {"normal(0, 1)", "uniform(-1, 1)", "constant(2)", "zeros", "xavier_normal",
                "he_uniform(fan_out)"}) {
            assertEquals(kind, describeOf(kind));
        }
    }

    /** Parses {@code name(a, b)} roughly as the compiler does, to check describe() round-trips through of(). */
    private static String describeOf(String text) {
        int paren = text.indexOf('(');
        if (paren < 0) {
            return Init.of(text).describe();
        }
        String[] parts = text.substring(paren + 1, text.length() - 1).split(",");
        double[] args = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].trim().equals("fan_out") ? 1 : Double.parseDouble(parts[i]);
        }
        return Init.of(text.substring(0, paren), args).describe();
    }

    @Test
    void valuesAreGivenRowMajorAndMustFitTheParameter() {
        Parameter p = param(3);
        Init.of("values", 0.15, -0.2, 0.25).fill(p, Rng.of(1));
        assertEquals(-0.2f, p.value().floats()[1]);
        assertEquals("values(0.15, -0.2, 0.25)", Init.values(0.15, -0.2, 0.25).describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.values(1, 2).fill(p, Rng.of(1)));
        assertEquals("w has 3 elements, but 2 values are given", e.getMessage());
    }

    @Test
    void ofRefusesUnknownKindsAndWrongArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.of("glorot"));
        assertEquals("unknown initialiser glorot (there are: normal, uniform, constant, zeros, xavier_normal, xavier_uniform,"
                + " he_normal, he_uniform, values)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.of("normal", 1));
        assertEquals("normal(mean, std) takes 2 arguments, not 1: [1.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.of("he_uniform", 1, 1));
        assertEquals("he_uniform takes 0 or 1 argument, not 2: [1.0, 1.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.of("he_normal", 2));
        assertEquals("he_normal: the argument selects the fan: 0 for fan_in, 1 for fan_out, not 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.uniform(1, -1));
        assertEquals("uniform(1.0, -1.0): the bounds must be finite and a <= b", e.getMessage());
    }

    @Test
    void aNegativeDeviationIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.normal(0, -1));
        assertEquals("normal(0.0, -1.0): the mean must be finite and the standard deviation finite and not negative", e.getMessage());
    }
}
