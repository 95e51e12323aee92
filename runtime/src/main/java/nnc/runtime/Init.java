package nnc.runtime;

import java.util.Arrays;

/**
 * How a parameter is filled before training. Implementations are seeded through {@link Rng}.
 *
 * <p>The scaled initialisers (Xavier/Glorot and He) read the parameter's {@link Parameter#fanIn()}
 * and {@link Parameter#fanOut()}, which the compiler fills from the parameter's role in its layer,
 * so one initialiser object serves every layer.
 */
public interface Init {
    void fill(Parameter p, Rng rng);

    /** As the .nn file writes it: {@code normal(0, 1)}, {@code he_normal(fan_out)}. */
    String describe();

    static Init normal(double mean, double std) {
        return new Normal(mean, std);
    }

    /** Uniform in [a, b). */
    static Init uniform(double a, double b) {
        return new Uniform(a, b);
    }

    static Init constant(double c) {
        return new Constant(c);
    }

    static Init zeros() {
        return new Constant(0);
    }

    /** Given values, in row-major order: the course's worked examples start from given weights. */
    static Init values(double... values) {
        return new Values(values.clone());
    }

    /** Xavier/Glorot: Normal(0, 2 / (fanIn + fanOut)). */
    static Init xavierNormal() {
        return new Xavier(false);
    }

    /** Xavier/Glorot: uniform in +-sqrt(6 / (fanIn + fanOut)), the same variance as {@link #xavierNormal}. */
    static Init xavierUniform() {
        return new Xavier(true);
    }

    /** He: Normal(0, 2 / fan), fan = fanIn, or fanOut to preserve the variance of the backward pass. */
    static Init heNormal(boolean fanOut) {
        return new He(false, fanOut);
    }

    /** He: uniform in +-sqrt(6 / fan), the same variance as {@link #heNormal}. */
    static Init heUniform(boolean fanOut) {
        return new He(true, fanOut);
    }

    /**
     * The initialiser a .nn file names: {@code normal(mean, std)}, {@code uniform(a, b)},
     * {@code constant(c)}, {@code zeros}, {@code xavier_normal}, {@code xavier_uniform},
     * {@code he_normal} and {@code he_uniform} (their one optional argument is 1 for fan_out, 0 for
     * fan_in). Lets interpreters and tools build what generated code calls directly.
     *
     * @throws IllegalArgumentException for an unknown kind or the wrong number of arguments
     */
    static Init of(String kind, double... args) {
        return switch (kind) {
            case "normal" -> {
                arity(kind, args, 2, 2, "(mean, std)");
                yield normal(args[0], args[1]);
            }
            case "uniform" -> {
                arity(kind, args, 2, 2, "(a, b)");
                yield uniform(args[0], args[1]);
            }
            case "constant" -> {
                arity(kind, args, 1, 1, "(c)");
                yield constant(args[0]);
            }
            case "zeros" -> {
                arity(kind, args, 0, 0, "");
                yield zeros();
            }
            case "xavier_normal", "xavier_uniform" -> {
                arity(kind, args, 0, 0, "");
                yield kind.equals("xavier_normal") ? xavierNormal() : xavierUniform();
            }
            case "he_normal", "he_uniform" -> {
                arity(kind, args, 0, 1, "");
                if (args.length == 1 && args[0] != 0 && args[0] != 1) {
                    throw new IllegalArgumentException(kind + ": the argument selects the fan: 0 for fan_in, 1 for fan_out, not "
                            + Numbers.text(args[0]));
                }
                boolean out = args.length == 1 && args[0] == 1;
                yield kind.equals("he_normal") ? heNormal(out) : heUniform(out);
            }
            case "values" -> values(args);
            default -> throw new IllegalArgumentException("unknown initialiser " + kind
                    + " (there are: normal, uniform, constant, zeros, xavier_normal, xavier_uniform, he_normal, he_uniform, values)");
        };
    }

    private static void arity(String kind, double[] args, int min, int max, String signature) {
        if (args.length < min || args.length > max) {
            throw new IllegalArgumentException(kind + signature + " takes " + (min == max ? "" + min : min + " or " + max)
                    + " argument" + (max == 1 ? "" : "s") + ", not " + args.length + ": " + Arrays.toString(args));
        }
    }

    /** Normal(mean, std^2) for every element. */
    record Normal(double mean, double std) implements Init {
        public Normal {
            if (!(std >= 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException("normal(" + mean + ", " + std + "): the mean must be finite and the standard deviation finite and not negative");
            }
        }

        @Override
        public void fill(Parameter p, Rng rng) {
            Tensor t = p.value();
            for (int i = 0; i < t.length(); i++) {
                t.set(i, mean + std * rng.nextGaussian());
            }
        }

        @Override
        public String describe() {
            return "normal(" + Numbers.text(mean) + ", " + Numbers.text(std) + ")";
        }
    }

    /** Uniform in [a, b) for every element. */
    record Uniform(double a, double b) implements Init {
        public Uniform {
            if (!Double.isFinite(a) || !Double.isFinite(b) || a > b) {
                throw new IllegalArgumentException("uniform(" + a + ", " + b + "): the bounds must be finite and a <= b");
            }
        }

        @Override
        public void fill(Parameter p, Rng rng) {
            Tensor t = p.value();
            for (int i = 0; i < t.length(); i++) {
                t.set(i, a + (b - a) * rng.nextDouble());
            }
        }

        @Override
        public String describe() {
            return "uniform(" + Numbers.text(a) + ", " + Numbers.text(b) + ")";
        }
    }

    /** Given values, row-major. */
    record Values(double[] values) implements Init {
        @Override
        public void fill(Parameter p, Rng rng) {
            if (values.length != p.size()) {
                throw new IllegalArgumentException(p.name() + " has " + p.size() + " elements, but " + values.length + " values are given");
            }
            for (int i = 0; i < values.length; i++) {
                p.value().set(i, values[i]);
            }
        }

        @Override
        public String describe() {
            StringBuilder s = new StringBuilder("values(");
            for (int i = 0; i < values.length; i++) {
                s.append(i > 0 ? ", " : "").append(Numbers.text(values[i]));
            }
            return s.append(')').toString();
        }
    }

    /** The same value everywhere. */
    record Constant(double value) implements Init {
        @Override
        public void fill(Parameter p, Rng rng) {
            p.value().fill(value);
        }

        @Override
        public String describe() {
            return value == 0 ? "zeros" : "constant(" + Numbers.text(value) + ")";
        }
    }

    /** Xavier/Glorot: variance 2 / (fanIn + fanOut), keeping both passes' variance roughly level. */
    record Xavier(boolean uniform) implements Init {
        @Override
        public void fill(Parameter p, Rng rng) {
            if (p.fanIn() < 1 || p.fanOut() < 1) {
                throw new IllegalArgumentException(p.name() + ": " + describe() + " needs the fan-in and fan-out of its layer, but they are "
                        + p.fanIn() + " and " + p.fanOut());
            }
            fillScaled(p, rng, uniform, 2.0 / ((double) p.fanIn() + p.fanOut()));
        }

        @Override
        public String describe() {
            return uniform ? "xavier_uniform" : "xavier_normal";
        }
    }

    /** He: variance 2 / fan, for ReLU layers, whose activations keep half the variance. */
    record He(boolean uniform, boolean fanOut) implements Init {
        @Override
        public void fill(Parameter p, Rng rng) {
            int fan = fanOut ? p.fanOut() : p.fanIn();
            if (fan < 1) {
                throw new IllegalArgumentException(p.name() + ": " + describe() + " needs the " + (fanOut ? "fan-out" : "fan-in")
                        + " of its layer, but it is " + fan);
            }
            fillScaled(p, rng, uniform, 2.0 / fan);
        }

        @Override
        public String describe() {
            return (uniform ? "he_uniform" : "he_normal") + (fanOut ? "(fan_out)" : "");
        }
    }

    /** Zero-mean values of the given variance: normal, or uniform in +-sqrt(3 variance). */
    private static void fillScaled(Parameter p, Rng rng, boolean uniform, double variance) {
        Tensor t = p.value();
        if (uniform) {
            double bound = Math.sqrt(3 * variance);
            for (int i = 0; i < t.length(); i++) {
                t.set(i, bound * (2 * rng.nextDouble() - 1));
            }
        } else {
            double std = Math.sqrt(variance);
            for (int i = 0; i < t.length(); i++) {
                t.set(i, std * rng.nextGaussian());
            }
        }
    }
}
