package nnc.runtime;

/**
 * How a parameter is filled before training. Implementations are seeded through {@link Rng}; the
 * scaled ones read the parameter's fan-in and fan-out, which the compiler takes from its layer.
 */
public interface Init {
    void fill(Parameter p, Rng rng);

    /** As the .nn file writes it: {@code normal(0, 1)}, {@code he_normal(fan_out)}. */
    String describe();

    static Init normal(double mean, double std) {
        return new Normal(mean, std);
    }

    static Init uniform(double a, double b) {
        return new Uniform(a, b);
    }

    static Init constant(double c) {
        return new Constant(c);
    }

    static Init zeros() {
        return new Constant(0);
    }

    /** Glorot: Normal(0, 2 / (fanIn + fanOut)). */
    static Init xavierNormal() {
        return new Scaled("xavier_normal", false, false);
    }

    /** Glorot: Uniform(-b, b) with b = sqrt(6 / (fanIn + fanOut)). */
    static Init xavierUniform() {
        return new Scaled("xavier_uniform", true, false);
    }

    /** He: Normal(0, 2 / fan), fan = fanIn, or fanOut if {@code fanOut} (the backward pass's variant). */
    static Init heNormal(boolean fanOut) {
        return new Scaled("he_normal", false, fanOut);
    }

    /** He: Uniform(-b, b) with b = sqrt(6 / fan). */
    static Init heUniform(boolean fanOut) {
        return new Scaled("he_uniform", true, fanOut);
    }

    /**
     * The initialiser a .nn file names: {@code normal(mean, std)}, {@code uniform(a, b)},
     * {@code constant(c)}, {@code zeros}, {@code xavier_normal}, {@code xavier_uniform},
     * {@code he_normal} and {@code he_uniform} (an argument 1 selects fan-out).
     */
    static Init of(String kind, double... args) {
        return switch (kind) {
            case "normal" -> normal(args[0], args[1]);
            case "uniform" -> uniform(args[0], args[1]);
            case "constant" -> constant(args[0]);
            case "zeros" -> zeros();
            case "xavier_normal" -> xavierNormal();
            case "xavier_uniform" -> xavierUniform();
            case "he_normal" -> heNormal(args.length > 0 && args[0] == 1);
            case "he_uniform" -> heUniform(args.length > 0 && args[0] == 1);
            default -> throw new IllegalArgumentException("no initialiser named " + kind);
        };
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

    /** Uniform on [a, b). */
    record Uniform(double a, double b) implements Init {
        public Uniform {
            if (!(a < b) || !Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("uniform(" + a + ", " + b + "): needs finite a < b");
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

    /** Xavier and He: a variance scaled by the layer's fans. */
    record Scaled(String kind, boolean uniform, boolean fanOut) implements Init {
        @Override
        public void fill(Parameter p, Rng rng) {
            double variance = kind.startsWith("xavier")
                    ? 2.0 / (p.fanIn() + p.fanOut())
                    : 2.0 / (fanOut ? p.fanOut() : p.fanIn());
            Init inner = uniform ? new Uniform(-Math.sqrt(3 * variance), Math.sqrt(3 * variance))
                    : new Normal(0, Math.sqrt(variance));
            inner.fill(p, rng);
        }

        @Override
        public String describe() {
            return kind + (fanOut ? "(fan_out)" : "");
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
}
