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

    /** Functions that reduce a value to a scalar. */
    static final Set<String> REDUCTIONS = Set.of("sum", "mean");

    /** Every function name, for "did you mean". */
    static final List<String> FUNCTIONS = List.of("dense", "matmul", "sigmoid", "tanh", "relu", "sin", "cos", "exp",
            "log", "sum", "mean", "mse");

    /** Layer functions: they create parameters. */
    static final Set<String> LAYERS = Set.of("dense");

    /** Initialisers and their numbers of arguments. */
    static final Map<String, Integer> INITIALIZERS = Map.of("normal", 2, "constant", 1, "zeros", 0);

    static final List<String> SETTINGS = List.of("optimizer", "batch", "epochs", "seed", "shuffle");

    static final List<String> OPTIMIZERS = List.of("sgd");

    static final List<String> INIT_DEFAULTS = List.of("weights", "biases");
}
