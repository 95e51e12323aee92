package nnc.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.diag.Suggest;
import nnc.ir.InitSpec;
import nnc.ir.Shape;
import nnc.parse.Ast;

/**
 * The check stage: resolves names, checks every call's arguments, infers the static shape of
 * every expression and validates the training settings. Reports every error it can find in one
 * run; an expression whose shape cannot be known is skipped quietly from then on, so one mistake
 * is reported once.
 */
public final class Checker {
    static final InitSpec DEFAULT_WEIGHTS = new InitSpec("normal", 0, 0.01);
    static final InitSpec DEFAULT_BIASES = new InitSpec("zeros");

    private final Source source;
    private final Reporter reporter;
    private final Map<String, Symbol> symbols = new HashMap<>();
    private final Map<String, Ast.Pos> declaredLater = new HashMap<>();
    private final IdentityHashMap<Ast.Expr, Shape> shapes = new IdentityHashMap<>();
    private final IdentityHashMap<Ast.Call, List<CheckedModel.Layer>> layers = new IdentityHashMap<>();
    private final IdentityHashMap<Ast.Binary, Double> exponents = new IdentityHashMap<>();
    private final List<CheckedModel.Tensor> inputs = new ArrayList<>();
    private final List<CheckedModel.Tensor> targets = new ArrayList<>();
    private final List<CheckedModel.ParamSpec> params = new ArrayList<>();
    /** The rows of the layer table, in the order values are computed (see {@link CheckedModel#rows()}). */
    private final List<CheckedModel.Row> rows = new ArrayList<>();
    /** How often each expression has been checked: inside a repeat, each time is another row. */
    private final IdentityHashMap<Ast.Expr, Integer> occurrences = new IdentityHashMap<>();
    /** Parameters already listed in a row. */
    private final Set<CheckedModel.ParamSpec> claimed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Calls per function name in the statement being checked, and how many of each have been seen. */
    private final Map<String, Integer> kindCount = new HashMap<>();
    private final Map<String, Integer> kindIndex = new HashMap<>();
    /** The definition being checked, whose calls are rows (in the loss, only those with parameters). */
    private Ast.Expr recording;
    private Ast.Pos recordingPos;
    private boolean recordingLoss;
    private final List<CheckedModel.StateSpec> states = new ArrayList<>();
    private final IdentityHashMap<Ast.Call, CheckedModel.Attrs> attrs = new IdentityHashMap<>();
    private final ImageChecks images = new ImageChecks(this);
    private final Map<String, Integer> classTargets = new HashMap<>();
    private InitSpec defaultWeights = DEFAULT_WEIGHTS;
    private InitSpec defaultBiases = DEFAULT_BIASES;
    private Ast.Pos regularizePos;
    private final Map<String, Double> consts = new HashMap<>();
    /** ".2" in the second repetition of a repeat (".1.3" nested), else null. */
    private String repetition;

    /** What a name refers to. */
    private record Symbol(String kind, Shape shape, Ast.Pos pos) {}

    /** The statement being checked: layer calls inside it are named after it. */
    private String statement;
    private int layerCount;
    private int layerIndex;

    private Checker(Source source, Reporter reporter) {
        this.source = source;
        this.reporter = reporter;
    }

    /** The checked model, or null after reporting errors. */
    public static CheckedModel check(Ast.Model model, Source source, Reporter reporter) {
        return new Checker(source, reporter).run(model);
    }

    private CheckedModel run(Ast.Model model) {
        int before = reporter.errorCount();
        prescan(model.decls());
        // File-wide initialiser defaults apply wherever they are written.
        Ast.InitDefaults firstDefaults = null;
        for (Ast.Decl d : model.decls()) {
            if (d instanceof Ast.InitDefaults defaults) {
                if (firstDefaults != null) {
                    error(Code.E223, defaults.pos(), "initialiser defaults are already set at line " + firstDefaults.pos().line());
                    continue;
                }
                firstDefaults = defaults;
                initDefaults(defaults);
            }
        }
        Ast.Loss loss = null;
        Ast.Train train = null;
        boolean hasOutput = false;
        for (Ast.Decl d : model.decls()) {
            if (d instanceof Ast.Input i) {
                input(i);
            } else if (d instanceof Ast.Param p) {
                param(p);
            } else if (d instanceof Ast.Value v) {
                value(v);
                hasOutput |= v.output();
            } else if (d instanceof Ast.Const c) {
                constDecl(c);
            } else if (d instanceof Ast.Repeat r) {
                hasOutput |= repeat(r);
            } else if (d instanceof Ast.Loss l) {
                if (loss != null) {
                    error(Code.E223, l.pos(), "a model has one loss; the first is at line " + loss.pos().line());
                } else {
                    loss = l;
                    loss(l);
                }
            } else if (d instanceof Ast.Train t) {
                if (train != null) {
                    error(Code.E223, t.pos(), "training settings are already given at line " + train.pos().line());
                } else {
                    train = t;
                }
            }
        }
        if (loss == null) {
            error(Code.E215, model.namePos(), "model " + model.name() + " has no loss; add 'loss <expression>', such as 'loss mse(out, y)'");
        }
        if (!hasOutput) {
            error(Code.E216, model.namePos(), "model " + model.name() + " has no output; mark the prediction with 'output', such as 'output out = dense(h, 1)'");
        }
        TrainSettings settings = train == null ? TrainSettings.DEFAULTS : settings(train);
        List<CheckedModel.ParamSpec> penalized = penalized(settings);
        if (reporter.errorCount() > before) {
            return null;
        }
        return new CheckedModel(model, source, inputs, targets, params, shapes, layers, exponents, settings, penalized, consts,
                rows, states, attrs);
    }

    /**
     * The parameters the penalties apply to: those whose names match the regularize pattern (glob:
     * {@code *} any characters, {@code ?} one), by default every parameter but biases.
     */
    private List<CheckedModel.ParamSpec> penalized(TrainSettings t) {
        if (t.weightDecay() == 0 && t.l1() == 0) {
            return List.of();
        }
        List<CheckedModel.ParamSpec> chosen = new ArrayList<>();
        java.util.regex.Pattern glob = t.regularize() == null ? null : glob(t.regularize());
        for (CheckedModel.ParamSpec p : params) {
            boolean bias = p.name().equals("bias") || p.name().endsWith(".bias");
            if (glob == null ? !bias : glob.matcher(p.name()).matches()) {
                chosen.add(p);
            }
        }
        if (chosen.isEmpty() && regularizePos != null) {
            error(Code.E304, regularizePos, "the pattern matches no parameter (they are: "
                    + String.join(", ", params.stream().map(CheckedModel.ParamSpec::name).toList()) + ")");
        }
        return chosen;
    }

    private static java.util.regex.Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(ch == '*' ? ".*" : ch == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    // ---- declarations ----------------------------------------------------------------------

    private void prescan(List<Ast.Decl> decls) {
        for (Ast.Decl d : decls) {
            if (d instanceof Ast.Input i) {
                declaredLater.putIfAbsent(i.name(), i.namePos());
            } else if (d instanceof Ast.Param p) {
                declaredLater.putIfAbsent(p.name(), p.namePos());
            } else if (d instanceof Ast.Value v) {
                declaredLater.putIfAbsent(v.name(), v.namePos());
            } else if (d instanceof Ast.Const c) {
                declaredLater.putIfAbsent(c.name(), c.namePos());
            } else if (d instanceof Ast.Repeat r) {
                prescan(r.body());
            }
        }
    }

    private void constDecl(Ast.Const c) {
        Double v = constant(c.value());
        if (v == null) {
            error(Code.E219, c.value().pos(), "a const must be a number, or arithmetic of numbers and other consts");
            poison(c.name(), c.namePos());
            return;
        }
        if (define(c.name(), "const", Shape.scalar(), c.namePos())) {
            consts.put(c.name(), v);
        }
    }

    /**
     * {@code repeat K { ... }}: checks the body's value definitions K times, each time with the
     * repetition's number in its layers' names ({@code h.1.weight}, {@code h.2.weight}, ...). A
     * value may be redefined inside a repeat, which is how each repetition feeds the next.
     */
    private boolean repeat(Ast.Repeat r) {
        Double count = constant(r.count());
        if (count == null || count != Math.rint(count) || count < 0 || count > 10_000) {
            error(Code.E220, r.count().pos(), "repeat needs a whole number of times from 0 to 10000, not '" + r.count().pos().text() + "'");
            return false;
        }
        boolean output = false;
        for (Ast.Decl d : r.body()) {
            if (!(d instanceof Ast.Value)) {
                error(Code.E220, d.pos(), "only named values can be repeated: move this out of the repeat");
                return false;
            }
            output |= ((Ast.Value) d).output();
        }
        String outer = repetition;
        for (int i = 1; i <= count; i++) {
            repetition = (outer == null ? "" : outer) + "." + i;
            for (Ast.Decl d : r.body()) {
                value((Ast.Value) d);
            }
        }
        repetition = outer;
        return output;
    }

    private void input(Ast.Input i) {
        int classes = 0;
        Shape s;
        if (i.classType() != null) {
            classes = classCount(i.classType());
            s = classes > 0 ? Shape.of(true) : null;
        } else {
            s = shape(i.shape(), true);
        }
        if (s == null) {
            poison(i.name(), i.namePos());
        } else if (define(i.name(), i.target() ? "target" : "input", s, i.namePos())) {
            (i.target() ? targets : inputs).add(new CheckedModel.Tensor(i.name(), s, classes, i.pos()));
            if (classes > 0) {
                classTargets.put(i.name(), classes);
            }
        }
    }

    /** K of {@code class(K)}, or 0 after reporting. */
    private int classCount(Ast.ClassType t) {
        if (!t.name().equals("class")) {
            error(Code.E221, t.namePos(), "unknown target type '" + t.name() + "': a target is a shape such as [1], or class(K) for K classes");
            return 0;
        }
        long k;
        try {
            k = Long.parseLong(t.count().text());
        } catch (NumberFormatException e) {
            k = Long.MAX_VALUE;
        }
        if (k < 2 || k > 1_000_000) {
            error(Code.E221, t.count().pos(), "the number of classes must be from 2 to 1000000, not " + t.count().text());
            return 0;
        }
        return (int) k;
    }

    private void param(Ast.Param p) {
        Shape s = shape(p.shape(), false);
        InitSpec init = p.init() == null ? defaultWeights : initializer(p.init());
        if (s == null || init == null) {
            poison(p.name(), p.namePos());
            return;
        }
        if (init.kind().equals("values") && init.args().length != s.size()) {
            error(Code.E231, p.init() == null ? p.namePos() : p.init().pos(), p.name() + " " + s + " has " + s.size() + " elements, but " + init.args().length + " values are given");
            poison(p.name(), p.namePos());
            return;
        }
        if (define(p.name(), "parameter", s, p.namePos())) {
            int fanIn = s.rank() == 0 ? 1 : s.dim(0);
            int fanOut = s.rank() == 0 ? 1 : s.last();
            CheckedModel.ParamSpec spec = new CheckedModel.ParamSpec(p.name(), s, init, fanIn, fanOut, p.namePos());
            params.add(spec);
            claimed.add(spec);
            rows.add(new CheckedModel.Row(p.name(), "param", s, List.of(spec), null, 0, p.pos()));
        }
    }

    private void initDefaults(Ast.InitDefaults d) {
        Set<String> seen = new LinkedHashSet<>();
        for (Ast.NamedArg a : d.defaults()) {
            if (!Builtins.INIT_DEFAULTS.contains(a.name())) {
                error(Code.E232, a.namePos(), "unknown default '" + a.name() + "': write 'weights' or 'biases'"
                        + Suggest.didYouMean(a.name(), Builtins.INIT_DEFAULTS));
                continue;
            }
            if (!seen.add(a.name())) {
                error(Code.E232, a.namePos(), "the default for " + a.name() + " is given twice");
                continue;
            }
            InitSpec init = initializer(a.value());
            if (init != null) {
                if (a.name().equals("weights")) {
                    defaultWeights = init;
                } else {
                    defaultBiases = init;
                }
            }
        }
    }

    private void value(Ast.Value v) {
        enterStatement(v.name(), v.expr());
        recording = v.expr();
        recordingPos = v.pos();
        Shape s = expr(v.expr());
        recording = null;
        if (s != null) {
            define(v.name(), "value", s, v.namePos());
            if (!(v.expr() instanceof Ast.Call) && !(v.expr() instanceof Ast.Name) && !(v.expr() instanceof Ast.Num)) {
                // Arithmetic of values, such as b3 + w3 * cos(...): a row of its own.
                rows.add(new CheckedModel.Row(rowBase(), "expression", s, List.of(), v.expr(), occurrence(v.expr()), v.pos()));
            }
        } else {
            poison(v.name(), v.namePos());
        }
    }

    /** {@code h}, or {@code h.2} in the second repetition of a repeat. */
    private String rowBase() {
        return repetition == null ? statement : statement + repetition;
    }

    /** How many times {@code e} was checked before (and counts this time). */
    private int occurrence(Ast.Expr e) {
        return occurrences.merge(e, 1, Integer::sum) - 1;
    }

    /**
     * Records a row for a call of the value being checked: named after the parameters it created
     * ({@code h.1} for {@code h.1.weight}), after the value if it is the whole definition, else after
     * the value and the function ({@code out.relu}, {@code out.relu2} if there are two).
     */
    private void row(Ast.Call c, Shape s, int paramsBefore) {
        List<CheckedModel.ParamSpec> own = new ArrayList<>();
        for (CheckedModel.ParamSpec p : params.subList(paramsBefore, params.size())) {
            if (claimed.add(p)) {
                own.add(p);
            }
        }
        int index = kindIndex.merge(c.name(), 1, Integer::sum);
        String name;
        if (!own.isEmpty()) {
            String first = own.get(0).name();
            name = first.contains(".") ? first.substring(0, first.lastIndexOf('.')) : first;
        } else if (recordingLoss) {
            return; // the loss is no layer, but a layer inside it is one
        } else if (c == recording) {
            name = rowBase();
        } else {
            name = rowBase() + "." + c.name() + (kindCount.getOrDefault(c.name(), 1) > 1 ? Integer.toString(index) : "");
        }
        rows.add(new CheckedModel.Row(name, c.name(), s, own, c, occurrence(c), recordingPos));
    }

    /** Defines a name whose definition was wrong, so its uses are not reported again. */
    private void poison(String name, Ast.Pos pos) {
        symbols.putIfAbsent(name, new Symbol("unknown", null, pos));
    }

    private void loss(Ast.Loss l) {
        enterStatement("loss", l.expr());
        recording = l.expr();
        recordingPos = l.pos();
        recordingLoss = true;
        Shape s = expr(l.expr());
        recording = null;
        recordingLoss = false;
        if (s != null && !s.isScalar()) {
            error(Code.E214, l.expr().pos(), "the loss must be a scalar, but this is " + s
                    + (s.batched() ? "; average it with mean(...) or add it up with sum(...)" : "; reduce it with sum(...) or mean(...)"));
        }
    }

    boolean define(String name, String kind, Shape shape, Ast.Pos pos) {
        Symbol old = symbols.get(name);
        if (old != null && repetition != null && kind.equals("value") && old.kind().equals("value")) {
            symbols.put(name, new Symbol(kind, shape, pos));
            return true;
        }
        if (old != null) {
            error(Code.E203, pos, "'" + name + "' is already defined at line " + old.pos().line());
            return false;
        }
        symbols.put(name, new Symbol(kind, shape, pos));
        return true;
    }

    private Shape shape(List<Ast.Dim> dims, boolean batched) {
        int[] d = new int[dims.size()];
        long size = 1;
        for (int i = 0; i < d.length; i++) {
            Ast.Dim dim = dims.get(i);
            long v;
            try {
                v = Long.parseLong(dim.text());
            } catch (NumberFormatException e) {
                Double c = Character.isDigit(dim.text().charAt(0)) ? null : consts.get(dim.text());
                if (c == null && !Character.isDigit(dim.text().charAt(0))) {
                    error(Code.E213, dim.pos(), "a dimension is a whole number or a const, and '" + dim.text() + "' is neither");
                    return null;
                }
                v = c == null ? Long.MAX_VALUE : c == Math.rint(c) ? c.longValue() : -1;
            }
            if (v < 0) {
                error(Code.E213, dim.pos(), "a dimension must be a whole number, not " + consts.get(dim.text()));
                return null;
            }
            if (v == 0) {
                error(Code.E213, dim.pos(), "a dimension must be at least 1");
                return null;
            }
            if (v > Integer.MAX_VALUE || (size *= v) > Integer.MAX_VALUE) {
                error(Code.E405, dim.pos(), "shape too large: more than " + Integer.MAX_VALUE + " elements");
                return null;
            }
            d[i] = (int) v;
        }
        return Shape.of(batched, d);
    }

    // ---- expressions -----------------------------------------------------------------------

    private void enterStatement(String name, Ast.Expr e) {
        statement = name;
        layerIndex = 0;
        layerCount = 0;
        kindCount.clear();
        kindIndex.clear();
        Deque<Ast.Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Ast.Expr x = todo.pop();
            if (x instanceof Ast.Call c) {
                kindCount.merge(c.name(), 1, Integer::sum);
                if (Builtins.LAYERS.contains(c.name())) {
                    layerCount++;
                }
                c.args().forEach(todo::push);
            } else if (x instanceof Ast.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (x instanceof Ast.Neg n) {
                todo.push(n.operand());
            }
        }
    }

    /** The shape of {@code e}, or null if it is wrong (and reported). */
    Shape expr(Ast.Expr e) {
        Shape s;
        if (e instanceof Ast.Num) {
            s = Shape.scalar();
        } else if (e instanceof Ast.Name n) {
            s = name(n);
        } else if (e instanceof Ast.Neg n) {
            s = expr(n.operand());
        } else if (e instanceof Ast.Binary b) {
            s = binary(b);
        } else if (e instanceof Ast.Str) {
            error(Code.E218, e.pos(), "a string is not a value; strings only select parameters, as in regularize \"h*.weight\"");
            s = null;
        } else {
            int paramsBefore = params.size();
            s = call((Ast.Call) e);
            if (s != null && recording != null) {
                row((Ast.Call) e, s, paramsBefore);
            }
        }
        if (s != null) {
            shapes.put(e, s);
        }
        return s;
    }

    private Shape name(Ast.Name n) {
        Symbol s = symbols.get(n.name());
        if (s != null) {
            return s.shape(); // null for a name whose definition was wrong: reported there
        }
        Ast.Pos later = declaredLater.get(n.name());
        if (later != null) {
            error(Code.E202, n.pos(), "'" + n.name() + "' is used before it is defined (at line " + later.line() + ")");
        } else if (Builtins.FUNCTIONS.contains(n.name()) || Builtins.INITIALIZERS.containsKey(n.name())) {
            error(Code.E205, n.pos(), "'" + n.name() + "' is a function; call it with arguments");
        } else {
            error(Code.E201, n.pos(), "undefined name '" + n.name() + "'" + Suggest.didYouMean(n.name(), symbols.keySet()));
        }
        return null;
    }

    private Shape binary(Ast.Binary b) {
        if (b.op() == '^') {
            Shape base = expr(b.left());
            Double exponent = constant(b.right());
            if (exponent == null) {
                error(Code.E217, b.right().pos(), "the exponent of ^ must be a constant number, such as 2 or -0.5");
                return null;
            }
            exponents.put(b, exponent);
            return base;
        }
        Shape l = expr(b.left());
        Shape r = expr(b.right());
        if (l == null || r == null) {
            return null;
        }
        Shape s = Shape.broadcast(l, r);
        if (s == null) {
            String what = switch (b.op()) {
                case '+' -> "add " + l + " and " + r;
                case '-' -> "subtract " + r + " from " + l;
                case '*' -> "multiply " + l + " by " + r;
                default -> "divide " + l + " by " + r;
            };
            error(Code.E210, b.pos(), "cannot " + what + ": the shapes do not broadcast");
        }
        return s;
    }

    private Shape call(Ast.Call c) {
        String f = c.name();
        if (Builtins.ELEMENTWISE.containsKey(f) || Builtins.REDUCTIONS.contains(f)) {
            if (!arity(c, 1, 1, Set.of())) {
                return null;
            }
            Shape x = expr(c.args().get(0));
            if (x == null) {
                return null;
            }
            return Builtins.REDUCTIONS.contains(f) ? Shape.scalar() : x;
        }
        if (Builtins.ACTIVATIONS.containsKey(f)) {
            return activation(c);
        }
        if (Builtins.ROWWISE.contains(f)) {
            if (!arity(c, 1, 1, Set.of())) {
                return null;
            }
            Shape x = expr(c.args().get(0));
            if (x != null && x.rank() < 1) {
                error(Code.E212, c.args().get(0).pos(), f + " works along the last axis, but " + x + " has none");
                return null;
            }
            return x;
        }
        switch (f) {
            case "mse", "l1", "binary_cross_entropy" -> {
                Shape[] ab = twoOperands(c);
                if (ab == null) {
                    return null;
                }
                Shape a = ab[0];
                Shape b = ab[1];
                if (!a.equals(b)) {
                    error(Code.E212, c.pos(), f + " needs two values of the same shape, but got " + a + " and " + b);
                    return null;
                }
                return Shape.scalar();
            }
            case "cross_entropy" -> {
                return crossEntropy(c);
            }
            case "dropout" -> {
                if (!arity(c, 2, 2, Set.of())) {
                    return null;
                }
                Shape x = expr(c.args().get(0));
                Double p = constant(c.args().get(1));
                if (p == null || !(p >= 0 && p <= 1)) {
                    error(Code.E209, c.args().get(1).pos(), "the dropout probability must be a number from 0 to 1, not '"
                            + c.args().get(1).pos().text() + "'");
                    return null;
                }
                return x;
            }
            case "matmul" -> {
                Shape[] ab = twoOperands(c);
                if (ab == null) {
                    return null;
                }
                Shape a = ab[0];
                Shape b = ab[1];
                if (a.rank() < 1) {
                    error(Code.E211, c.args().get(0).pos(), "matmul needs a left operand with at least one dimension, but got " + a);
                    return null;
                }
                if (b.batched() || b.rank() != 2) {
                    error(Code.E211, c.args().get(1).pos(), "matmul needs an unbatched matrix [k, n] on the right, but got " + b);
                    return null;
                }
                if (a.last() != b.dim(0)) {
                    error(Code.E211, c.pos(), "matmul of " + a + " and " + b + ": the inner dimensions " + a.last() + " and " + b.dim(0) + " differ");
                    return null;
                }
                return a.dropLast().append(b.dim(1));
            }
            case "dense" -> {
                return dense(c);
            }
            case "conv2d" -> {
                return images.conv2d(c);
            }
            case "maxpool2d", "avgpool2d" -> {
                return images.pool(c);
            }
            case "batchnorm" -> {
                return images.batchnorm(c);
            }
            case "flatten" -> {
                return images.flatten(c);
            }
            case "reshape" -> {
                return images.reshape(c);
            }
            default -> {
                if (Builtins.INITIALIZERS.containsKey(f)) {
                    error(Code.E205, c.namePos(), "'" + f + "' is an initialiser; it can only initialise a parameter");
                } else {
                    List<String> all = new ArrayList<>(Builtins.FUNCTIONS);
                    error(Code.E204, c.namePos(), "unknown function '" + f + "'" + Suggest.didYouMean(f, all));
                }
                return null;
            }
        }
    }

    /** {@code leaky_relu(x)}, {@code leaky_relu(x, 0.1)}, {@code elu(x, alpha: 0.5)}, {@code gelu(x)}, ... */
    private Shape activation(Ast.Call c) {
        boolean takesAlpha = !Double.isNaN(Builtins.ACTIVATIONS.get(c.name()));
        if (!arity(c, 1, takesAlpha ? 2 : 1, takesAlpha ? Set.of("alpha") : Set.of())) {
            return null;
        }
        Shape x = expr(c.args().get(0));
        Ast.Expr alpha = c.args().size() > 1 ? c.args().get(1) : c.named().isEmpty() ? null : c.named().get(0).value();
        if (alpha != null && constant(alpha) == null) {
            error(Code.E209, alpha.pos(), c.name() + "'s alpha must be a constant number");
            return null;
        }
        return x;
    }

    /** The constant parameter of an activation, or its default. */
    static double alpha(Ast.Call c, Map<String, Double> consts) {
        Ast.Expr alpha = c.args().size() > 1 ? c.args().get(1) : c.named().isEmpty() ? null : c.named().get(0).value();
        return alpha == null ? Builtins.ACTIVATIONS.get(c.name()) : constant(alpha, consts);
    }

    /** {@code cross_entropy(logits, y)}: logits [batch, K] against a target declared {@code class(K)}. */
    private Shape crossEntropy(Ast.Call c) {
        Shape[] ab = twoOperands(c);
        if (ab == null) {
            return null;
        }
        Shape logits = ab[0];
        Ast.Expr label = c.args().get(1);
        Integer classes = label instanceof Ast.Name n ? classTargets.get(n.name()) : null;
        if (classes == null) {
            error(Code.E221, label.pos(), "cross_entropy needs class indices as its second argument: a target declared as class(K)");
            return null;
        }
        if (!logits.batched() || logits.rank() != 1 || logits.last() != classes) {
            error(Code.E212, c.args().get(0).pos(), "cross_entropy needs " + classes + " scores per sample, [batch, " + classes
                    + "], for " + classes + " classes, but got " + logits);
            return null;
        }
        return Shape.scalar();
    }

    /** The shapes of a two-argument call's arguments, or null if the call or an argument is wrong. */
    private Shape[] twoOperands(Ast.Call c) {
        if (!arity(c, 2, 2, Set.of())) {
            return null;
        }
        Shape a = expr(c.args().get(0));
        Shape b = expr(c.args().get(1));
        return a == null || b == null ? null : new Shape[] {a, b};
    }

    private Shape dense(Ast.Call c) {
        if (!arity(c, 2, 2, Set.of("weights", "biases", "bias"))) {
            return null;
        }
        Shape x = expr(c.args().get(0));
        Integer units = positiveInt(c.args().get(1), "the number of units of dense");
        InitSpec weights = defaultWeights;
        InitSpec biases = defaultBiases;
        boolean bias = true;
        boolean ok = true;
        for (Ast.NamedArg a : c.named()) {
            switch (a.name()) {
                case "weights" -> {
                    weights = initializer(a.value());
                    ok &= weights != null;
                }
                case "biases" -> {
                    biases = initializer(a.value());
                    ok &= biases != null;
                }
                default -> {
                    Boolean b = bool(a.value());
                    if (b == null) {
                        error(Code.E209, a.value().pos(), "bias: takes true or false");
                        ok = false;
                    } else {
                        bias = b;
                    }
                }
            }
        }
        if (x == null || units == null || !ok) {
            return null;
        }
        if (!x.batched() || x.rank() != 1) {
            error(Code.E212, c.args().get(0).pos(), "dense needs a batched vector [batch, k] as input, but got " + x
                    + (x.batched() && x.rank() > 1 ? "; flatten it first" : ""));
            return null;
        }
        String prefix = layerPrefix(c);
        int k = x.dim(0);
        CheckedModel.ParamSpec w = newParam(prefix + ".weight", Shape.unbatched(k, units), weights, k, units, c.namePos());
        CheckedModel.ParamSpec b = bias ? newParam(prefix + ".bias", Shape.unbatched(units), biases, k, units, c.namePos()) : null;
        if (w == null || (bias && b == null)) {
            return null;
        }
        layer(c, new CheckedModel.Layer(w, b));
        return Shape.batched(units);
    }

    /**
     * The name a layer call's parameters start with: the statement's name (with the repetition's
     * number inside a repeat), and the layer's kind and number when the statement holds several.
     */
    String layerPrefix(Ast.Call c) {
        layerIndex++;
        String base = repetition == null ? statement : statement + repetition;
        return layerCount > 1 ? base + "." + c.name() + layerIndex : base;
    }

    /** Records the parameters and state a layer call created (once per repetition). */
    void layer(Ast.Call c, CheckedModel.Layer layer) {
        layers.computeIfAbsent(c, call -> new ArrayList<>()).add(layer);
    }

    /** Records the settings of an image call for lowering. */
    void attrs(Ast.Call c, CheckedModel.Attrs a) {
        attrs.put(c, a);
    }

    InitSpec defaultWeights() {
        return defaultWeights;
    }

    InitSpec defaultBiases() {
        return defaultBiases;
    }

    /** Defines a state buffer (running statistics); null after reporting a clash. */
    CheckedModel.StateSpec newState(String name, Shape s, double initial, Ast.Pos pos) {
        if (!define(name, "state", s, pos)) {
            return null;
        }
        CheckedModel.StateSpec st = new CheckedModel.StateSpec(name, s, initial, pos);
        states.add(st);
        return st;
    }

    CheckedModel.ParamSpec newParam(String name, Shape s, InitSpec init, int fanIn, int fanOut, Ast.Pos pos) {
        if (!define(name, "parameter", s, pos)) {
            return null;
        }
        CheckedModel.ParamSpec p = new CheckedModel.ParamSpec(name, s, init, fanIn, fanOut, pos);
        params.add(p);
        return p;
    }

    /** Checks positional and named arguments; false (after reporting) if they do not fit. */
    boolean arity(Ast.Call c, int min, int max, Set<String> named) {
        int n = c.args().size();
        if (n < min || n > max) {
            String expected = min == max ? Integer.toString(min) : min + " to " + max;
            error(Code.E206, c.pos(), c.name() + " takes " + expected + " argument" + (max == 1 ? "" : "s") + ", but got " + n);
            return false;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Ast.NamedArg a : c.named()) {
            if (!named.contains(a.name())) {
                error(Code.E207, a.namePos(), c.name() + " has no argument '" + a.name() + "'"
                        + (named.isEmpty() ? "" : Suggest.didYouMean(a.name(), named)));
                return false;
            }
            if (!seen.add(a.name())) {
                error(Code.E208, a.namePos(), "argument '" + a.name() + "' is given twice");
                return false;
            }
        }
        return true;
    }

    // ---- constants, initialisers and settings ----------------------------------------------

    /** The value of an expression made only of numbers, or null. */
    Double constant(Ast.Expr e) {
        return constant(e, consts);
    }

    /** The value of an expression of numbers and the named constants {@code consts}, or null. */
    public static Double constant(Ast.Expr e, Map<String, Double> consts) {
        if (e instanceof Ast.Num n) {
            return n.value();
        } else if (e instanceof Ast.Name n) {
            return consts.get(n.name());
        } else if (e instanceof Ast.Neg n) {
            Double v = constant(n.operand(), consts);
            return v == null ? null : -v;
        } else if (e instanceof Ast.Binary b) {
            Double l = constant(b.left(), consts);
            Double r = constant(b.right(), consts);
            if (l == null || r == null) {
                return null;
            }
            return switch (b.op()) {
                case '+' -> l + r;
                case '-' -> l - r;
                case '*' -> l * r;
                case '/' -> l / r;
                default -> Math.pow(l, r);
            };
        }
        return null;
    }

    Integer positiveInt(Ast.Expr e, String what) {
        return positiveInt(e, what, Code.E209);
    }

    /** A whole number of at least 1, or null after reporting {@code code}. */
    Integer positiveInt(Ast.Expr e, String what, Code code) {
        Double v = constant(e);
        if (v == null || v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            error(code, e.pos(), what + " must be a whole number of at least 1, not '" + e.pos().text() + "'");
            return null;
        }
        return v.intValue();
    }

    static Boolean bool(Ast.Expr e) {
        if (e instanceof Ast.Name n && (n.name().equals("true") || n.name().equals("false"))) {
            return n.name().equals("true");
        }
        return null;
    }

    /**
     * An initialiser given outside the file ({@code nnc --init 'weights=normal(0, 1)'}), checked as
     * in an {@code init} line; null after reporting to {@code reporter} against {@code source}.
     */
    static InitSpec initializer(Ast.Expr e, Source source, Reporter reporter) {
        return new Checker(source, reporter).initializer(e);
    }

    /** {@code normal(0, 1)}, {@code constant(0.03)}, {@code zeros}; null after reporting. */
    InitSpec initializer(Ast.Expr e) {
        String name;
        List<Ast.Expr> args;
        Ast.Pos namePos;
        if (e instanceof Ast.Name n) {
            name = n.name();
            args = List.of();
            namePos = n.pos();
        } else if (e instanceof Ast.Call c) {
            name = c.name();
            args = c.args();
            namePos = c.namePos();
            if (!c.named().isEmpty()) {
                error(Code.E231, c.named().get(0).namePos(), "initialisers take positional arguments only");
                return null;
            }
        } else {
            error(Code.E231, e.pos(), "expected an initialiser such as normal(0, 1), constant(0.1) or zeros");
            return null;
        }
        Integer arity = Builtins.INITIALIZERS.get(name);
        if (arity == null) {
            error(Code.E230, namePos, "unknown initialiser '" + name + "'" + Suggest.didYouMean(name, Builtins.INITIALIZERS.keySet()));
            return null;
        }
        if (Builtins.FAN_INITIALIZERS.contains(name)) {
            if (args.isEmpty()) {
                return new InitSpec(name);
            }
            if (args.size() == 1 && args.get(0) instanceof Ast.Name fan
                    && (fan.name().equals("fan_in") || fan.name().equals("fan_out"))) {
                return fan.name().equals("fan_in") ? new InitSpec(name) : new InitSpec(name, 1);
            }
            error(Code.E231, e.pos(), name + " takes no argument, or fan_in or fan_out: " + name + "(fan_out)");
            return null;
        }
        if (arity < 0) {
            arity = args.size(); // values(...) takes any number: checked against the parameter's size
            if (arity == 0) {
                error(Code.E231, e.pos(), "values needs the parameter's values, in row-major order");
                return null;
            }
        }
        if (args.size() != arity) {
            error(Code.E231, e.pos(), name + " takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", but got " + args.size());
            return null;
        }
        double[] values = new double[arity];
        for (int i = 0; i < arity; i++) {
            Double v = constant(args.get(i));
            if (v == null || !Double.isFinite(v)) {
                error(Code.E231, args.get(i).pos(), "initialiser arguments must be constant numbers");
                return null;
            }
            values[i] = v;
        }
        if (name.equals("normal") && values[1] < 0) {
            error(Code.E231, args.get(1).pos(), "the standard deviation of normal must not be negative");
            return null;
        }
        if (name.equals("uniform") && !(values[0] < values[1])) {
            error(Code.E231, e.pos(), "uniform(a, b) needs a < b");
            return null;
        }
        return new InitSpec(name, values);
    }

    private TrainSettings settings(Ast.Train t) {
        TrainSettings d = TrainSettings.DEFAULTS;
        String optimizer = d.optimizer();
        double lr = d.lr();
        int batch = d.batch();
        int epochs = d.epochs();
        long seed = d.seed();
        boolean shuffle = d.shuffle();
        double weightDecay = d.weightDecay();
        double l1 = d.l1();
        String regularize = d.regularize();
        Map<String, Double> optimizerArgs = Map.of();
        nnc.runtime.Schedule schedule = d.schedule();
        int warmup = d.warmup();
        Map<String, Ast.Setting> seen = new HashMap<>();
        for (Ast.Setting s : t.settings()) {
            if (!Builtins.SETTINGS.contains(s.name())) {
                error(Code.E301, s.namePos(), "unknown training setting '" + s.name() + "'" + Suggest.didYouMean(s.name(), Builtins.SETTINGS));
                continue;
            }
            Ast.Setting first = seen.putIfAbsent(s.name(), s);
            if (first != null) {
                error(Code.E302, s.namePos(), s.name() + " is already set at line " + first.pos().line());
                continue;
            }
            switch (s.name()) {
                case "optimizer" -> {
                    var chosen = optimizer(s.value());
                    if (chosen != null) {
                        optimizer = chosen.getKey();
                        optimizerArgs = new java.util.LinkedHashMap<>(chosen.getValue());
                        Double rate = optimizerArgs.remove("lr");
                        lr = rate != null ? rate : nnc.runtime.Optimizers.ARGUMENTS.get(optimizer).get("lr");
                    }
                }
                case "schedule" -> {
                    nnc.runtime.Schedule chosen = ScheduleSetting.schedule(s.value(), consts, this::error);
                    schedule = chosen == null ? schedule : chosen;
                }
                case "warmup" -> {
                    Integer w = ScheduleSetting.warmup(s.value(), consts, this::error);
                    warmup = w == null ? warmup : w;
                }
                case "batch" -> {
                    Integer b = positiveInt(s.value(), "batch", Code.E303);
                    batch = b == null ? batch : b;
                }
                case "epochs" -> {
                    Double v = constant(s.value());
                    if (v == null || v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                        error(Code.E303, s.value().pos(), "epochs must be a whole number of at least 0, not '" + s.value().pos().text() + "'");
                    } else {
                        epochs = v.intValue();
                    }
                }
                case "seed" -> {
                    Double v = constant(s.value());
                    if (v == null || v != Math.rint(v) || Math.abs(v) > 9.007199254740992E15) {
                        error(Code.E303, s.value().pos(), "seed must be a whole number, not '" + s.value().pos().text() + "'");
                    } else {
                        seed = v.longValue();
                    }
                }
                case "weight_decay", "l1" -> {
                    Double v = constant(s.value());
                    if (v == null || !(v >= 0) || Double.isInfinite(v)) {
                        error(Code.E303, s.value().pos(), s.name() + " must be a number of at least 0, not '" + s.value().pos().text() + "'");
                    } else if (s.name().equals("l1")) {
                        l1 = v;
                    } else {
                        weightDecay = v;
                    }
                }
                case "regularize" -> {
                    if (s.value() instanceof Ast.Str str) {
                        regularize = str.value();
                        regularizePos = str.pos();
                    } else {
                        error(Code.E303, s.value().pos(), "regularize takes a pattern of parameter names in quotes, such as \"h*.weight\"");
                    }
                }
                default -> {
                    Boolean b = bool(s.value());
                    if (b == null) {
                        error(Code.E303, s.value().pos(), "shuffle takes true or false");
                    } else {
                        shuffle = b;
                    }
                }
            }
        }
        return new TrainSettings(optimizer, lr, batch, epochs, seed, shuffle, weightDecay, l1, regularize, optimizerArgs, schedule,
                warmup);
    }

    /**
     * A learning-rate schedule given outside a .nn file ({@code nnc train --schedule 'step(5)'}),
     * checked as in a train block (without the file's constants), or null after reporting.
     */
    public static nnc.runtime.Schedule schedule(Ast.Expr e, Source source, Reporter reporter) {
        Checker c = new Checker(source, reporter);
        return ScheduleSetting.schedule(e, c.consts, c::error);
    }

    /**
     * An optimiser given outside a .nn file ({@code nnc train --optimizer 'adam(lr: 0.01)'}),
     * checked exactly as in a train block: its name and arguments (the learning rate under "lr"),
     * or null after reporting to {@code reporter} against {@code source}.
     */
    public static java.util.Map.Entry<String, Map<String, Double>> optimizer(Ast.Expr e, Source source, Reporter reporter) {
        return new Checker(source, reporter).optimizer(e);
    }

    /**
     * {@code sgd(lr: 0.1)}, {@code sgd(0.1)}, {@code adam(lr: 1e-3, beta1: 0.9)}: the optimiser's
     * name and arguments (the learning rate under "lr"), or null after reporting.
     */
    private java.util.Map.Entry<String, Map<String, Double>> optimizer(Ast.Expr e) {
        if (!(e instanceof Ast.Call c)) {
            error(Code.E310, e.pos(), "expected an optimiser such as sgd(lr: 0.1) or adam(lr: 0.001)");
            return null;
        }
        Map<String, Double> known = nnc.runtime.Optimizers.ARGUMENTS.get(c.name());
        if (known == null) {
            error(Code.E310, c.namePos(), "unknown optimiser '" + c.name() + "'" + Suggest.didYouMean(c.name(), nnc.runtime.Optimizers.names())
                    + " (there are: " + String.join(", ", nnc.runtime.Optimizers.names()) + ")");
            return null;
        }
        Map<String, Double> args = new java.util.LinkedHashMap<>();
        if (c.args().size() > 1) {
            error(Code.E311, c.pos(), c.name() + " takes at most one positional argument, the learning rate; name the others: "
                    + c.name() + "(lr: 0.1, ...)");
            return null;
        }
        if (c.args().size() == 1) {
            Double lr = constant(c.args().get(0));
            if (lr == null || !(lr > 0) || Double.isInfinite(lr)) {
                error(Code.E311, c.args().get(0).pos(), "the learning rate must be a positive number, not '" + c.args().get(0).pos().text() + "'");
                return null;
            }
            args.put("lr", lr);
        }
        for (Ast.NamedArg a : c.named()) {
            if (!known.containsKey(a.name())) {
                error(Code.E311, a.namePos(), c.name() + " has no argument '" + a.name() + "'" + Suggest.didYouMean(a.name(), known.keySet())
                        + " (it has: " + String.join(", ", known.keySet()) + ")");
                return null;
            }
            if (args.containsKey(a.name())) {
                error(Code.E311, a.namePos(), "argument '" + a.name() + "' is given twice");
                return null;
            }
            Double v;
            if (nnc.runtime.Optimizers.FLAGS.contains(a.name())) {
                Boolean b = bool(a.value());
                if (b == null) {
                    error(Code.E311, a.value().pos(), a.name() + " takes true or false");
                    return null;
                }
                v = b ? 1.0 : 0.0;
            } else {
                v = constant(a.value());
                boolean ok = v != null && Double.isFinite(v) && switch (a.name()) {
                    case "lr", "eps" -> v > 0;
                    case "momentum", "beta1", "beta2", "alpha", "dampening" -> v >= 0 && v < 1;
                    default -> v >= 0;
                };
                if (!ok) {
                    String range = switch (a.name()) {
                        case "lr", "eps" -> "a positive number";
                        case "momentum", "beta1", "beta2", "alpha", "dampening" -> "a number from 0 to less than 1";
                        default -> "a number of at least 0";
                    };
                    error(Code.E311, a.value().pos(), (a.name().equals("lr") ? "the learning rate" : a.name()) + " must be " + range
                            + ", not '" + a.value().pos().text() + "'");
                    return null;
                }
            }
            args.put(a.name(), v);
        }
        if (args.getOrDefault("nesterov", 0.0) == 1 && args.getOrDefault("momentum", 0.0) == 0) {
            error(Code.E311, c.pos(), "Nesterov momentum needs a momentum above 0, such as sgd(lr: 0.1, momentum: 0.9, nesterov: true)");
            return null;
        }
        return java.util.Map.entry(c.name(), args);
    }

    void error(Code code, Ast.Pos pos, String message) {
        reporter.error(code, source, pos.line(), pos.column(), pos.length(), message);
    }
}
