package nnc.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Op;

/** The functions, initialisers and training settings the language knows, by name. */
final class Builtins {
    private Builtins() {}

    /** Elementwise functions of one value, and the IR op each lowers to. */
    static final Map<String, Op> ELEMENTWISE = new LinkedHashMap<>();

    static {
        ELEMENTWISE.put("sigmoid", Op.SIGMOID);
        ELEMENTWISE.put("tanh", Op.TANH);
        ELEMENTWISE.put("relu", Op.RELU);
        ELEMENTWISE.put("sin", Op.SIN);
        ELEMENTWISE.put("cos", Op.COS);
        ELEMENTWISE.put("exp", Op.EXP);
        ELEMENTWISE.put("log", Op.LOG);
    }

    /**
     * Activations of one value built from the primitive ops (see Lower), with an optional
     * constant parameter and its default (NaN: takes none).
     */
    static final Map<String, Double> ACTIVATIONS = new LinkedHashMap<>();

    static {
        ACTIVATIONS.put("leaky_relu", 0.01);
        ACTIVATIONS.put("elu", 1.0);
        for (String f : List.of("softplus", "softsign", "swish", "silu", "mish", "log_sigmoid", "sinc", "step", "gelu", "abs")) {
            ACTIVATIONS.put(f, Double.NaN);
        }
    }

    /** Functions along the last axis. */
    static final Set<String> ROWWISE = Set.of("softmax", "log_softmax");

    /** Losses of a prediction and a target of the same shape. */
    static final Set<String> PAIR_LOSSES = Set.of("mse", "l1", "binary_cross_entropy");

    /** Functions that reduce a value to a scalar. */
    static final Set<String> REDUCTIONS = Set.of("sum", "mean");

    /** Every function name, for "did you mean". */
    static final List<String> FUNCTIONS = List.of("dense", "matmul", "sigmoid", "tanh", "relu", "sin", "cos", "exp",
            "log", "sum", "mean", "mse", "l1", "binary_cross_entropy", "cross_entropy", "leaky_relu", "elu", "softplus",
            "softsign", "swish", "silu", "mish", "log_sigmoid", "sinc", "step", "gelu", "abs", "softmax", "log_softmax",
            "dropout", "conv2d", "maxpool2d", "avgpool2d", "batchnorm", "flatten", "reshape");

    /** Layer functions: they create parameters. */
    static final Set<String> LAYERS = Set.of("dense", "conv2d", "batchnorm");

    /** Initialisers and their numbers of numeric arguments. */
    static final Map<String, Integer> INITIALIZERS = Map.of("normal", 2, "uniform", 2, "constant", 1, "zeros", 0,
            "xavier_normal", 0, "xavier_uniform", 0, "he_normal", 0, "he_uniform", 0, "values", -1);

    /** Initialisers that take fan_in (the default) or fan_out as an optional argument. */
    static final Set<String> FAN_INITIALIZERS = Set.of("he_normal", "he_uniform");

    static final List<String> SETTINGS = List.of("optimizer", "batch", "epochs", "seed", "shuffle", "weight_decay", "l1",
            "regularize", "schedule", "warmup");


    static final List<String> INIT_DEFAULTS = List.of("weights", "biases");
}
