package nnc.check;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.ir.InitSpec;
import nnc.ir.Shape;
import nnc.parse.Ast;

/**
 * A model that passed every check: its declarations with their shapes, every parameter (declared
 * or created by a layer) with its initialiser, and what lowering needs to know about each
 * expression. Produced by {@link Checker}.
 */
public final class CheckedModel {
    /** A trainable parameter, declared with {@code param} or created by a layer such as {@code dense}. */
    public record ParamSpec(String name, Shape shape, InitSpec init, int fanIn, int fanOut, Ast.Pos pos) {}

    /**
     * The parameters a layer call created (bias is null for {@code bias: false}) and the state it
     * keeps (batchnorm's running mean and variance; empty for others).
     */
    public record Layer(ParamSpec weight, ParamSpec bias, List<StateSpec> states) {
        public Layer(ParamSpec weight, ParamSpec bias) {
            this(weight, bias, List.of());
        }
    }

    /** Model state that is not trained, created by a layer: batchnorm's running statistics. */
    public record StateSpec(String name, Shape shape, double initial, Ast.Pos pos) {}

    /**
     * The settings of an image call: window (kernel, stride, padding) of conv2d and the pools;
     * momentum and epsilon of batchnorm; the shape of reshape and flatten. Unused fields are 0 or null.
     */
    public record Attrs(int kernelH, int kernelW, int stride, int padding, double momentum, double eps, Shape shape) {}

    /**
     * One row of the model's layer table: a call of a built-in function in a value's definition
     * (once per repetition inside a repeat), a value defined by arithmetic, or a declared parameter.
     *
     * @param name {@code h.1}: after the parameters the call created, else after the value
     *     ({@code h.1.relu} for a call inside the definition that is not all of it)
     * @param kind the function's name ({@code dense}, {@code relu}, ...), {@code expression} for
     *     arithmetic, {@code param} for a declared parameter
     * @param shape the value it computes (batched for per-sample values)
     * @param params the parameters it created
     * @param expr the call or arithmetic (null for a parameter)
     * @param occurrence which lowering of {@code expr} it is: the n-th repetition of a repeat
     * @param pos the statement it belongs to
     */
    public record Row(String name, String kind, Shape shape, List<ParamSpec> params, Ast.Expr expr, int occurrence,
            Ast.Pos pos) {
        public Row {
            params = List.copyOf(params);
        }

        /** Scalar parameters of this row. */
        public long parameterCount() {
            long n = 0;
            for (ParamSpec p : params) {
                n += p.shape().size();
            }
            return n;
        }
    }

    /** An input or target with its per-sample shape (batched); classes &gt; 0 for a class(K) target. */
    public record Tensor(String name, Shape shape, int classes, Ast.Pos pos) {}

    private final Ast.Model ast;
    private final Source source;
    private final List<Tensor> inputs;
    private final List<Tensor> targets;
    private final List<ParamSpec> params;
    private final Map<Ast.Expr, Shape> shapes;
    private final Map<Ast.Call, List<Layer>> layers;
    private final Map<String, Double> consts;
    private final Map<Ast.Binary, Double> exponents;
    private final TrainSettings train;
    private final List<ParamSpec> penalized;
    private final List<Row> rows;
    private final List<StateSpec> states;
    private final Map<Ast.Call, Attrs> attrs;

    CheckedModel(Ast.Model ast, Source source, List<Tensor> inputs, List<Tensor> targets, List<ParamSpec> params,
            IdentityHashMap<Ast.Expr, Shape> shapes, IdentityHashMap<Ast.Call, List<Layer>> layers,
            IdentityHashMap<Ast.Binary, Double> exponents, TrainSettings train, List<ParamSpec> penalized,
            Map<String, Double> consts, List<Row> rows, List<StateSpec> states, IdentityHashMap<Ast.Call, Attrs> attrs) {
        this.ast = ast;
        this.source = source;
        this.inputs = List.copyOf(inputs);
        this.targets = List.copyOf(targets);
        this.params = List.copyOf(params);
        this.shapes = Collections.unmodifiableMap(shapes);
        this.layers = Collections.unmodifiableMap(layers);
        this.exponents = Collections.unmodifiableMap(exponents);
        this.train = train;
        this.penalized = List.copyOf(penalized);
        this.consts = Map.copyOf(consts);
        this.rows = List.copyOf(rows);
        this.states = List.copyOf(states);
        this.attrs = Collections.unmodifiableMap(attrs);
    }

    /** Model state that is not trained (batchnorm's running statistics), in source order. */
    public List<StateSpec> states() {
        return states;
    }

    /** The settings of an image call such as {@code conv2d(x, 16, 3, padding: 1)}. */
    public Attrs attrs(Ast.Call call) {
        return attrs.get(call);
    }

    /** The parameters the regularisation penalties apply to (empty without penalties). */
    public List<ParamSpec> penalized() {
        return penalized;
    }

    public String name() {
        return ast.name();
    }

    public Ast.Model ast() {
        return ast;
    }

    public Source source() {
        return source;
    }

    public List<Tensor> inputs() {
        return inputs;
    }

    public List<Tensor> targets() {
        return targets;
    }

    /** Every parameter in source order. */
    public List<ParamSpec> params() {
        return params;
    }

    /**
     * The layer table: every call in a value's definition, every value defined by arithmetic and
     * every declared parameter, in the order they are computed, repeats unrolled. Every parameter is
     * in exactly one row.
     */
    public List<Row> rows() {
        return rows;
    }

    /** The value of every const, by name. */
    public Map<String, Double> consts() {
        return consts;
    }

    /** The shape of any expression of the model. */
    public Shape shape(Ast.Expr e) {
        return shapes.get(e);
    }

    /** The parameters a layer call created: the first time it runs, or the n-th inside a repeat. */
    public Layer layer(Ast.Call call, int occurrence) {
        return layers.get(call).get(occurrence);
    }

    /** The value of a constant expression (numbers and consts). */
    public Double constant(Ast.Expr e) {
        return Checker.constant(e, consts);
    }

    /** Whether {@code name} is a const. */
    public boolean isConst(String name) {
        return consts.containsKey(name);
    }

    /** The constant exponent of a {@code ^}. */
    public double exponent(Ast.Binary pow) {
        return exponents.get(pow);
    }

    public TrainSettings train() {
        return train;
    }

    /** The IR op of an elementwise built-in function such as {@code sigmoid}. */
    public static nnc.ir.Op elementwiseOp(String function) {
        nnc.ir.Op op = Builtins.ELEMENTWISE.get(function);
        if (op == null) {
            throw new IllegalArgumentException(function + " is not an elementwise function");
        }
        return op;
    }

    /** Whether {@code function} is an activation built from primitive ops, such as {@code gelu}. */
    public static boolean isActivation(String function) {
        return Builtins.ACTIVATIONS.containsKey(function);
    }

    /** The constant parameter of an activation call such as {@code leaky_relu(x, 0.1)}, or its default. */
    public double alpha(Ast.Call call) {
        return Checker.alpha(call, consts);
    }

    /** Reports that the loss does not depend on parameter {@code name}. */
    public void warnUnused(String name, Reporter reporter) {
        for (ParamSpec p : params) {
            if (p.name().equals(name)) {
                reporter.warning(Code.W101, source, p.pos().line(), p.pos().column(), p.pos().length(),
                        "parameter '" + name + "' does not affect the loss; it will never change");
            }
        }
    }
}
