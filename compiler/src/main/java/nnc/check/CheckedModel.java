package nnc.check;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /** The parameters a layer call created; bias is null for {@code bias: false}. */
    public record Layer(ParamSpec weight, ParamSpec bias) {}

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

    CheckedModel(Ast.Model ast, Source source, List<Tensor> inputs, List<Tensor> targets, List<ParamSpec> params,
            IdentityHashMap<Ast.Expr, Shape> shapes, IdentityHashMap<Ast.Call, List<Layer>> layers,
            IdentityHashMap<Ast.Binary, Double> exponents, TrainSettings train, List<ParamSpec> penalized,
            Map<String, Double> consts) {
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
                reporter.warning(source, p.pos().line(), p.pos().column(), p.pos().length(),
                        "parameter '" + name + "' does not affect the loss; it will never change");
            }
        }
    }
}
