package nnc.runtime;

/** How a parameter is filled before training. Implementations are seeded through {@link Rng}. */
public interface Init {
    void fill(Parameter p, Rng rng);

    /** As the .nn file writes it: {@code normal(0, 1)}. */
    String describe();

    static Init normal(double mean, double std) {
        return new Normal(mean, std);
    }

    static Init constant(double c) {
        return new Constant(c);
    }

    static Init zeros() {
        return new Constant(0);
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
