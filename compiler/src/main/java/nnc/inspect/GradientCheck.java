package nnc.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import nnc.check.CheckedModel;
import nnc.check.TrainSettings;
import nnc.runtime.Model;
import nnc.runtime.Parameter;
import nnc.runtime.Rng;
import nnc.runtime.Tensor;

/**
 * The course's gradient check (section 1.6): every parameter element's gradient from
 * backpropagation ({@link Model#trainStep}) against central finite differences of the objective,
 * (L(w + delta) - L(w - delta)) / (2 delta), compared as numpy's
 * {@code allclose(backprop, numeric, rtol, atol)} does: |b - n| &lt;= atol + rtol |n|. Run it
 * on a double-precision model: in float, rounding swamps any small delta.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /**
     * How to check.
     *
     * @param delta the finite-difference step
     * @param rtol relative tolerance, as numpy's allclose
     * @param atol absolute tolerance, as numpy's allclose
     * @param maxElements at most this many elements of each parameter, drawn at random when it has more
     * @param seed for drawing the elements
     */
    public record Settings(double delta, double rtol, double atol, int maxElements, long seed) {
        public static Settings defaults() {
            return new Settings(1e-6, 1e-5, 1e-8, 100, 0);
        }
    }

    /**
     * One parameter's result.
     *
     * @param worst the element with the largest error beyond the tolerance (or the largest error)
     */
    public record ParamResult(String name, int size, int checked, int failed, double maxAbsError, double maxRelError,
            int worst, double worstBackprop, double worstNumeric) {
        public boolean passed() {
            return failed == 0;
        }
    }

    /** The whole check: one result per parameter, in declaration order. */
    public record Report(String model, int samples, double loss, Settings settings, List<ParamResult> params) {
        /**
         * How far rounding alone moves a central difference: a loss of magnitude |L| is known to
         * about one ulp, and dividing by 2 delta scales that up. Gradients much smaller than this
         * cannot be checked by finite differences in double precision.
         */
        public double resolution() {
            return Math.ulp(Math.abs(loss)) / (2 * settings.delta());
        }

        public Report {
            params = List.copyOf(params);
        }

        public boolean passed() {
            return params.stream().allMatch(ParamResult::passed);
        }

        public long checked() {
            return params.stream().mapToLong(ParamResult::checked).sum();
        }

        public long failed() {
            return params.stream().mapToLong(ParamResult::failed).sum();
        }

        /** The per-parameter table and a one-line verdict. */
        public String format() {
            TextTable t = new TextTable("parameter", ">elements", ">checked", ">max abs error", ">max rel error", "result");
            for (ParamResult p : params) {
                t.row(p.name(), ParamsTable.count(p.size()), ParamsTable.count(p.checked()), number(p.maxAbsError()),
                        number(p.maxRelError()), p.passed() ? "ok" : "FAILED (" + p.failed() + ")");
            }
            StringBuilder s = new StringBuilder(t.toString());
            if (passed()) {
                s.append(String.format(Locale.ROOT, "passed: %,d of %,d elements agree with finite differences%n",
                        checked(), checked()));
            } else {
                long bad = params.stream().filter(p -> !p.passed()).count();
                s.append(String.format(Locale.ROOT, "FAILED: %,d of %,d elements in %d parameter%s disagree%n", failed(),
                        checked(), bad, bad == 1 ? "" : "s"));
                for (ParamResult p : params) {
                    if (!p.passed()) {
                        s.append(String.format(Locale.ROOT, "  %s[%d]: backpropagation %s, finite difference %s%n", p.name(),
                                p.worst(), number(p.worstBackprop()), number(p.worstNumeric())));
                    }
                }
                double tolerance = settings.atol() + settings.rtol() * Math.abs(params.stream().filter(p -> !p.passed())
                        .mapToDouble(ParamResult::worstNumeric).map(Math::abs).min().orElse(0));
                if (resolution() > tolerance) {
                    s.append(String.format(Locale.ROOT, "note: the loss is %s, so rounding alone moves a finite difference by"
                            + " about ulp(loss) / (2 delta) = %s, more than the tolerance: where the gradient is that small"
                            + " relative to the loss, finite differences in double precision cannot check it%n",
                            number(loss), number(resolution())));
                }
            }
            return s.toString();
        }
    }

    /**
     * Checks the model's gradients on the first {@code n} samples already in its inputs and targets,
     * at its current parameters (restored afterwards).
     *
     * @param penalty what training adds to the loss (the regularisation penalty; 0 for none):
     *     {@link Model#loss} reports the loss alone, but {@link Model#trainStep}'s gradient is that of
     *     loss plus penalty
     */
    public static Report run(Model model, int n, Settings s, ToDoubleFunction<Model> penalty) {
        double loss = model.trainStep(n);
        List<double[]> backprop = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            double[] g = new double[p.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = p.grad().get(i);
            }
            backprop.add(g);
        }
        List<ParamResult> results = new ArrayList<>();
        for (int k = 0; k < model.parameters().size(); k++) {
            Parameter p = model.parameters().get(k);
            results.add(check(model, n, p, backprop.get(k), s, penalty));
        }
        return new Report(model.name(), n, loss, s, results);
    }

    private static ParamResult check(Model model, int n, Parameter p, double[] backprop, Settings s,
            ToDoubleFunction<Model> penalty) {
        int[] elements = elements(p.size(), s.maxElements(), Rng.forStream(s.seed(), "gradcheck " + p.name()));
        Tensor value = p.value();
        int failed = 0;
        double maxAbs = 0;
        double maxRel = 0;
        int worst = elements.length == 0 ? -1 : elements[0];
        double worstExcess = Double.NEGATIVE_INFINITY;
        double worstNumeric = Double.NaN;
        for (int i : elements) {
            double saved = value.get(i);
            value.set(i, saved + s.delta());
            double up = model.loss(n) + penalty.applyAsDouble(model);
            value.set(i, saved - s.delta());
            double down = model.loss(n) + penalty.applyAsDouble(model);
            value.set(i, saved);
            double numeric = (up - down) / (2 * s.delta());
            double b = backprop[i];
            double abs = Math.abs(b - numeric);
            double rel = abs == 0 ? 0 : abs / Math.max(Math.abs(b), Math.abs(numeric));
            boolean close = abs <= s.atol() + s.rtol() * Math.abs(numeric); // NaN is never close
            if (!close) {
                failed++;
            }
            maxAbs = Double.isNaN(abs) ? Double.NaN : Math.max(maxAbs, abs);
            maxRel = Double.isNaN(rel) ? Double.NaN : Math.max(maxRel, rel);
            // The element furthest beyond its tolerance is the one to show.
            double excess = Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs - (s.atol() + s.rtol() * Math.abs(numeric));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
                worstNumeric = numeric;
            }
        }
        return new ParamResult(p.name(), p.size(), elements.length, failed, maxAbs, maxRel, worst,
                worst < 0 ? Double.NaN : backprop[worst], worstNumeric);
    }

    /** All indices of a parameter, or {@code max} of them drawn without replacement, in order. */
    static int[] elements(int size, int max, Rng rng) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        if (size <= max) {
            return all;
        }
        for (int i = 0; i < max; i++) { // a partial Fisher-Yates shuffle
            int j = i + rng.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, max);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * The regularisation penalty training adds to the model's loss: weight_decay / 2 * ||w||^2 +
     * l1 * |w| over the penalised parameters, as the compiler lowers it.
     */
    public static ToDoubleFunction<Model> penalty(CheckedModel checked) {
        TrainSettings t = checked.train();
        List<String> names = checked.penalized().stream().map(CheckedModel.ParamSpec::name).toList();
        if (names.isEmpty()) {
            return m -> 0;
        }
        return m -> {
            double total = 0;
            for (String name : names) {
                Tensor w = m.parameter(name).value();
                double squares = 0;
                double absolutes = 0;
                for (int i = 0; i < w.length(); i++) {
                    squares += w.get(i) * w.get(i);
                    absolutes += Math.abs(w.get(i));
                }
                total += t.weightDecay() / 2 * squares + t.l1() * absolutes;
            }
            return total;
        };
    }

    /** 1.23e-09, or 0. */
    static String number(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v).replace("e-0", "e-").replace("e+0", "e+");
    }
}
