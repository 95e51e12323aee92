package nnc.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The optimisers a .nn file names, with PyTorch's defaults for what it leaves out. */
public final class Optimizers {
    private Optimizers() {}

    /** Every optimiser's arguments and their defaults (NaN: required). */
    public static final Map<String, Map<String, Double>> ARGUMENTS = new LinkedHashMap<>();

    static {
        ARGUMENTS.put("sgd", defaults("lr", 0.01, "momentum", 0, "dampening", 0, "nesterov", 0, "weight_decay", 0));
        ARGUMENTS.put("adagrad", defaults("lr", 0.01, "eps", 1e-10, "weight_decay", 0));
        ARGUMENTS.put("rmsprop", defaults("lr", 0.01, "alpha", 0.99, "eps", 1e-8, "momentum", 0, "weight_decay", 0));
        ARGUMENTS.put("adam", defaults("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0));
        ARGUMENTS.put("adamw", defaults("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01));
    }

    /** Arguments that are true (1) or false (0). */
    public static final Set<String> FLAGS = Set.of("nesterov");

    private static Map<String, Double> defaults(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }

    public static List<String> names() {
        return List.copyOf(ARGUMENTS.keySet());
    }

    /** The optimiser {@code name} with {@code args} (missing ones take their defaults). */
    public static Optimizer create(String name, Map<String, Double> args) {
        Map<String, Double> known = ARGUMENTS.get(name);
        if (known == null) {
            throw new IllegalArgumentException("unknown optimiser " + name + " (there are: " + String.join(", ", names()) + ")");
        }
        for (String a : args.keySet()) {
            if (!known.containsKey(a)) {
                throw new IllegalArgumentException(name + " has no argument " + a + " (it has: " + String.join(", ", known.keySet()) + ")");
            }
        }
        Map<String, Double> a = new LinkedHashMap<>(known);
        a.putAll(args);
        double lr = a.get("lr");
        return switch (name) {
            case "sgd" -> a.get("momentum") == 0 && a.get("weight_decay") == 0
                    ? new Sgd(lr)
                    : new Momentum(lr, a.get("momentum"), a.get("dampening"), a.get("nesterov") != 0, a.get("weight_decay"));
            case "adagrad" -> new Adagrad(lr, a.get("eps"), a.get("weight_decay"));
            case "rmsprop" -> new RmsProp(lr, a.get("alpha"), a.get("eps"), a.get("momentum"), a.get("weight_decay"));
            case "adam" -> new Adam(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), a.get("weight_decay"), false);
            default -> new Adam(lr, a.get("beta1"), a.get("beta2"), a.get("eps"), a.get("weight_decay"), true);
        };
    }
}
