package nnc.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * The learning-rate schedules, named as a .nn file names them, each with the formula of the
 * PyTorch class it follows ({@code e} is the epoch from 0, {@code base} the optimiser's rate).
 */
public final class Schedules {
    private Schedules() {}

    /**
     * The schedules with arguments of their own and their defaults (NaN: required), in the order
     * positional arguments take. {@code lambda} and {@code multiplicative} take one expression of
     * {@code epoch} instead.
     */
    public static final Map<String, Map<String, Double>> ARGUMENTS = new LinkedHashMap<>();

    static {
        ARGUMENTS.put("constant", new LinkedHashMap<>());
        ARGUMENTS.put("step", args("step_size", Double.NaN, "gamma", 0.1));
        ARGUMENTS.put("exponential", args("gamma", Double.NaN));
        ARGUMENTS.put("cosine", args("t_max", Double.NaN, "eta_min", 0.0));
    }

    /** The schedules that take a function of the epoch. */
    public static final List<String> FUNCTIONS = List.of("lambda", "multiplicative");

    private static Map<String, Double> args(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return m;
    }

    /** Every schedule's name. */
    public static List<String> names() {
        List<String> all = new java.util.ArrayList<>(ARGUMENTS.keySet());
        all.addAll(FUNCTIONS);
        return all;
    }

    /** The schedule {@code name} with numeric {@code args} (missing ones take their defaults). */
    public static Schedule create(String name, Map<String, Double> args) {
        Map<String, Double> known = ARGUMENTS.get(name);
        if (known == null) {
            throw new IllegalArgumentException("unknown schedule " + name + " (there are: " + String.join(", ", ARGUMENTS.keySet()) + ")");
        }
        Map<String, Double> a = new LinkedHashMap<>(known);
        for (Map.Entry<String, Double> e : args.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                throw new IllegalArgumentException(name + " has no argument " + e.getKey());
            }
            a.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Double> e : a.entrySet()) {
            if (Double.isNaN(e.getValue())) {
                throw new IllegalArgumentException(name + " needs its argument " + e.getKey());
            }
        }
        return switch (name) {
            case "constant" -> new Constant();
            case "step" -> new Step(whole(a.get("step_size")), a.get("gamma"));
            case "exponential" -> new Exponential(a.get("gamma"));
            default -> new Cosine(whole(a.get("t_max")), a.get("eta_min"));
        };
    }

    private static int whole(double v) {
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected a whole number of at least 1, not " + v);
        }
        return (int) v;
    }

    /** The rates of epochs 0 .. {@code epochs - 1}, or an exception naming the first that is not a positive number. */
    public static double[] checkedRates(Schedule schedule, double base, int epochs) {
        double[] rates = schedule.rates(base, epochs);
        for (int e = 0; e < rates.length; e++) {
            if (!(rates[e] > 0) || Double.isInfinite(rates[e])) {
                throw new IllegalArgumentException("the schedule " + schedule.describe() + " gives the learning rate "
                        + Numbers.text(rates[e]) + " at epoch " + e + " (counting from 0), but a learning rate must be a positive number");
            }
        }
        return rates;
    }

    /** The base rate throughout. */
    public record Constant() implements Schedule {
        @Override
        public double rate(int epoch, double base) {
            return base;
        }

        @Override
        public String describe() {
            return "constant()";
        }
    }

    /** PyTorch's StepLR: {@code base * gamma^floor(e / stepSize)}. */
    public record Step(int stepSize, double gamma) implements Schedule {
        public Step {
            if (stepSize < 1) {
                throw new IllegalArgumentException("step_size must be at least 1, not " + stepSize);
            }
        }

        @Override
        public double rate(int epoch, double base) {
            return base * Math.pow(gamma, epoch / stepSize);
        }

        @Override
        public String describe() {
            return "step(step_size: " + stepSize + ", gamma: " + Numbers.text(gamma) + ")";
        }
    }

    /** PyTorch's ExponentialLR: {@code base * gamma^e}. */
    public record Exponential(double gamma) implements Schedule {
        @Override
        public double rate(int epoch, double base) {
            return base * Math.pow(gamma, epoch);
        }

        @Override
        public String describe() {
            return "exponential(gamma: " + Numbers.text(gamma) + ")";
        }
    }

    /**
     * PyTorch's CosineAnnealingLR in its closed form:
     * {@code etaMin + (base - etaMin) * (1 + cos(pi * e / tMax)) / 2}, which goes on as a cosine
     * after {@code tMax} epochs.
     */
    public record Cosine(int tMax, double etaMin) implements Schedule {
        public Cosine {
            if (tMax < 1) {
                throw new IllegalArgumentException("t_max must be at least 1, not " + tMax);
            }
        }

        @Override
        public double rate(int epoch, double base) {
            return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
        }

        @Override
        public String describe() {
            return "cosine(t_max: " + tMax + ", eta_min: " + Numbers.text(etaMin) + ")";
        }
    }

    /** PyTorch's LambdaLR: {@code base * f(e)}; {@code text} is f as written. */
    public record Lambda(IntToDoubleFunction f, String text) implements Schedule {
        @Override
        public double rate(int epoch, double base) {
            return base * f.applyAsDouble(epoch);
        }

        @Override
        public String describe() {
            return "lambda(" + text + ")";
        }
    }

    /**
     * PyTorch's MultiplicativeLR: the rate of epoch 0 is {@code base}, each later epoch's the one
     * before times {@code f(e)}, so {@code base * f(1) * ... * f(e)}.
     */
    public record Multiplicative(IntToDoubleFunction f, String text) implements Schedule {
        @Override
        public double rate(int epoch, double base) {
            double r = base;
            for (int k = 1; k <= epoch; k++) {
                r *= f.applyAsDouble(k);
            }
            return r;
        }

        @Override
        public double[] rates(double base, int epochs) {
            double[] r = new double[epochs];
            double rate = base;
            for (int e = 0; e < epochs; e++) {
                if (e > 0) {
                    rate *= f.applyAsDouble(e);
                }
                r[e] = rate;
            }
            return r;
        }

        @Override
        public String describe() {
            return "multiplicative(" + text + ")";
        }
    }

    /**
     * A linear warm-up of {@code epochs} epochs before {@code then}: epoch {@code e < epochs} at
     * {@code base * (e + 1) / epochs}, rising to the base rate, then {@code then} from its own epoch
     * 0. In PyTorch: {@code SequentialLR([LinearLR(start_factor=1/N, total_iters=N-1), then],
     * milestones=[N])}.
     */
    public record Warmup(int epochs, Schedule then) implements Schedule {
        public Warmup {
            if (epochs < 0) {
                throw new IllegalArgumentException("the warm-up must not be negative: " + epochs);
            }
        }

        @Override
        public double rate(int epoch, double base) {
            return epoch < epochs ? base * (epoch + 1) / epochs : then.rate(epoch - epochs, base);
        }

        @Override
        public double[] rates(double base, int total) {
            double[] r = new double[total];
            double[] after = then.rates(base, Math.max(0, total - epochs));
            for (int e = 0; e < total; e++) {
                r[e] = e < epochs ? base * (e + 1) / epochs : after[e - epochs];
            }
            return r;
        }

        @Override
        public String describe() {
            return then instanceof Constant ? "warmup " + epochs : "warmup " + epochs + ", then " + then.describe();
        }
    }

    /** {@code schedule} after a warm-up of {@code epochs} (none if 0). */
    public static Schedule withWarmup(Schedule schedule, int epochs) {
        return epochs == 0 ? schedule : new Warmup(epochs, schedule);
    }
}
