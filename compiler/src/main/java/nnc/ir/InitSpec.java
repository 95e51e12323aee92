package nnc.ir;

import java.util.Arrays;
import java.util.List;

/**
 * A parameter's initialiser as the .nn file names it; the runtime implements it.
 *
 * @param kind one of {@link #KINDS}
 * @param args the initialiser's numeric arguments, in order
 */
public record InitSpec(String kind, double... args) {
    public static final List<String> KINDS = List.of("normal", "uniform", "constant", "zeros", "xavier_normal",
            "xavier_uniform", "he_normal", "he_uniform", "values");

    public InitSpec {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown initialiser " + kind);
        }
        args = args.clone();
    }

    @Override
    public double[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitSpec i && i.kind.equals(kind) && Arrays.equals(i.args, args);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(args);
    }

    /** {@code normal(0, 1)}; {@code he_normal(fan_out)}. */
    @Override
    public String toString() {
        if (kind.startsWith("he_") || kind.startsWith("xavier_") || kind.equals("zeros")) {
            return kind + (args.length > 0 && args[0] == 1 ? "(fan_out)" : "");
        }
        StringBuilder s = new StringBuilder(kind).append('(');
        for (int i = 0; i < args.length; i++) {
            s.append(i > 0 ? ", " : "").append(Nodes.number(args[i]));
        }
        return s.append(')').toString();
    }
}
