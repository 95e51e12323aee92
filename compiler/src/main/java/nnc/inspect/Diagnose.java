package nnc.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnc.autodiff.Autodiff;
import nnc.check.CheckedModel;
import nnc.interp.InterpretedModel;
import nnc.interp.Interpreter;
import nnc.ir.Graph;
import nnc.ir.Lower;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.runtime.Parameter;
import nnc.runtime.Tensor;
import nnc.runtime.data.Batches;
import nnc.runtime.data.Dataset;

/**
 * The course's diagnostics of a network at initialisation (sections 1.6 and 1.7): for every
 * layer, the standard deviation of its values over many inputs (the forward pass), of the loss
 * gradient with respect to them over fewer inputs, one at a time (the backward pass), and for
 * ReLU layers the units that are dead: whose pre-activation is &lt;= 0 for every input. The
 * model runs in the interpreter in double precision, which can give any node's value; the
 * checked model's rows say which node is which layer. Dropout is off: the interpreter computes
 * in inference mode.
 */
public final class Diagnose {
    /** A standard deviation growing or shrinking by more than this from first to last layer is flagged. */
    static final double FACTOR = 10;

    private Diagnose() {}

    /**
     * What to run.
     *
     * @param forwardSamples inputs for the activations (the course: 1000)
     * @param backwardSamples inputs for the gradients (the course: 100)
     * @param seed for the parameters' initialisation and the random inputs
     * @param data inputs and targets to use instead of random ones, or null
     */
    public record Settings(int forwardSamples, int backwardSamples, long seed, Dataset data) {
        public static Settings course(long seed) {
            return new Settings(1000, 100, seed, null);
        }
    }

    /**
     * One layer's statistics.
     *
     * @param units values per sample
     * @param activationStd standard deviation of its values over every unit and input
     * @param gradientStd standard deviation of d loss / d value over every unit and input; NaN when
     *     the loss does not depend on it through a parameter
     * @param dead ReLU units whose pre-activation was never positive; -1 for layers that are not ReLU
     */
    public record Layer(CheckedModel.Row row, int units, double activationStd, double gradientStd, int dead) {}

    /** Every layer's statistics and the findings in words. */
    public record Report(String model, long seed, int forwardSamples, int backwardSamples, String inputs,
            List<Layer> layers, List<String> findings) {
        public Report {
            layers = List.copyOf(layers);
            findings = List.copyOf(findings);
        }

        public String format() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT,
                    "%s at initialisation (seed %d): activations over %,d inputs, gradients over %,d inputs one at a time; %s%n",
                    model, seed, forwardSamples, backwardSamples, inputs));
            TextTable t = new TextTable("layer", "kind", ">units", ">activation std", ">gradient std", ">dead units");
            for (Layer l : layers) {
                t.row(l.row().name(), l.row().kind(), ParamsTable.count(l.units()), GradientCheck.number(l.activationStd()),
                        Double.isNaN(l.gradientStd()) ? "-" : GradientCheck.number(l.gradientStd()),
                        l.dead() < 0 ? "-" : l.dead() + " of " + l.units());
            }
            s.append(t);
            s.append("findings:\n");
            for (String f : findings) {
                s.append("  ").append(f).append('\n');
            }
            return s.toString();
        }
    }

    /** Runs the diagnostics on a model freshly initialised with the settings' seed. */
    public static Report run(CheckedModel model, Settings s) {
        Lower.Lowering lowering = Lower.lowering(model, true);
        Autodiff.Result diff = Autodiff.differentiate(lowering.graph());
        int chunk = Math.max(1, Math.min(100, s.forwardSamples()));
        InterpretedModel im = new InterpretedModel(diff.graph(), chunk, true);
        im.initialize(s.seed());
        Interpreter in = im.interpreter();
        for (Parameter p : im.parameters()) {
            copy(p.value(), in.leaf(p.name()), p.size());
        }
        List<CheckedModel.Row> rows = model.rows();
        List<Node> nodes = lowering.rows();
        Stats[] forward = new Stats[rows.size()];
        Stats[] backward = new Stats[rows.size()];
        boolean[][] alive = new boolean[rows.size()][];
        List<Node> roots = new ArrayList<>();
        List<Node> adjointRoots = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            forward[k] = new Stats();
            backward[k] = new Stats();
            Node node = nodes.get(k);
            roots.add(node);
            Node adjoint = diff.adjoints().get(node);
            if (adjoint != null) {
                adjointRoots.add(adjoint);
            }
            if (rows.get(k).kind().equals("relu") && node.op() == Op.RELU) {
                alive[k] = new boolean[node.shape().size()];
            }
        }

        // Forward: values of every layer, in batches.
        int forwardSamples = 0;
        Batches batches = s.data() == null ? null : Batches.of(im, s.data(), chunk, null);
        for (int b = 0; forwardSamples < s.forwardSamples() && (batches == null || b < batches.count()); b++) {
            int n = Math.min(chunk, s.forwardSamples() - forwardSamples);
            if (batches != null) {
                n = Math.min(n, batches.load(b));
            } else {
                Samples.random(im, n, s.seed(), "diagnose forward " + b);
            }
            feed(im, in, n);
            in.run(roots, n);
            for (int k = 0; k < rows.size(); k++) {
                Node node = nodes.get(k);
                if (node.shape().batched() || b == 0) {
                    forward[k].add(in.value(node), length(node, n));
                }
                if (alive[k] != null) {
                    double[] pre = in.value(node.input(0));
                    int units = alive[k].length;
                    for (int i = 0; i < n * units; i++) {
                        alive[k][i % units] |= pre[i] > 0;
                    }
                }
            }
            forwardSamples += n;
        }

        // Backward: d loss / d value, one input at a time, as backpropagation for that input gives it.
        int backwardSamples = 0;
        Batches singles = s.data() == null ? null : Batches.of(im, s.data(), 1, null);
        for (int j = 0; j < s.backwardSamples() && (singles == null || j < singles.count()); j++) {
            if (singles != null) {
                singles.load(j);
            } else {
                Samples.random(im, 1, s.seed(), "diagnose backward " + j);
            }
            feed(im, in, 1);
            in.run(adjointRoots, 1);
            for (int k = 0; k < rows.size(); k++) {
                Node adjoint = diff.adjoints().get(nodes.get(k));
                if (adjoint != null) {
                    backward[k].add(in.value(adjoint), length(adjoint, 1));
                }
            }
            backwardSamples++;
        }

        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            int dead = -1;
            if (alive[k] != null) {
                dead = 0;
                for (boolean a : alive[k]) {
                    dead += a ? 0 : 1;
                }
            }
            boolean hasGradient = diff.adjoints().containsKey(nodes.get(k)) && backwardSamples > 0;
            layers.add(new Layer(rows.get(k), nodes.get(k).shape().size(), forward[k].std(),
                    hasGradient ? backward[k].std() : Double.NaN, dead));
        }
        return new Report(model.name(), s.seed(), forwardSamples, backwardSamples,
                Samples.describe(s.data(), forwardSamples).replaceFirst("^\\d+ random", "random"), layers,
                findings(layers, nodes));
    }

    /**
     * Explosion, vanishing or steadiness along each stack of layers (those of one kind and one
     * shape: the hidden layers, not the output layer), then dead units.
     */
    static List<String> findings(List<Layer> layers, List<Node> nodes) {
        // Stacks: layers of one kind and shape, each computed from the one before (parallel
        // branches of one kind are no stack).
        Map<String, List<Integer>> byKind = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            if (nodes.get(k).shape().batched()) { // parameters and totals are no layers of a stack
                byKind.computeIfAbsent(layers.get(k).row().kind() + " " + ParamsTable.shape(layers.get(k).row().shape()),
                        x -> new ArrayList<>()).add(k);
            }
        }
        List<String> out = new ArrayList<>();
        byKind.forEach((kind, members) -> {
            List<Layer> chain = new ArrayList<>();
            Node previous = null;
            for (int k : members) {
                Node node = nodes.get(k);
                if (previous != null && !Graph.topologicalOrder(List.of(node)).contains(previous)) {
                    stack(kind, chain, out);
                    chain = new ArrayList<>();
                }
                chain.add(layers.get(k));
                previous = node;
            }
            stack(kind, chain, out);
        });
        List<Layer> relus = layers.stream().filter(l -> l.dead() >= 0).toList();
        List<Layer> dying = relus.stream().filter(l -> l.dead() > 0).toList();
        if (!relus.isEmpty() && dying.isEmpty()) {
            out.add("dead units: none; every ReLU unit is positive for some input");
        } else if (!dying.isEmpty()) {
            long dead = relus.stream().mapToLong(Layer::dead).sum();
            long units = relus.stream().mapToLong(Layer::units).sum();
            Layer most = dying.stream().max(java.util.Comparator.comparingDouble(l -> (double) l.dead() / l.units())).orElseThrow();
            out.add(String.format(Locale.ROOT,
                    "dead units: %,d of %,d ReLU units (%.0f%%) are never positive for any input, in %d of %d ReLU layers;"
                            + " most in %s: %d of %d", dead, units, 100.0 * dead / units, dying.size(), relus.size(),
                    most.row().name(), most.dead(), most.units()));
        }
        if (out.isEmpty()) {
            out.add("no stack of layers of one kind and shape to compare, and no ReLU units");
        }
        return out;
    }

    /** The trend of activations and gradients along one stack of two layers or more. */
    private static void stack(String kind, List<Layer> group, List<String> out) {
        if (group.size() < 2) {
            return;
        }
        Layer first = group.get(0);
        Layer last = group.get(group.size() - 1);
        out.add(trend(kind + " activations", group.size(), first, last, first.activationStd(), last.activationStd()));
        if (!Double.isNaN(first.gradientStd()) && !Double.isNaN(last.gradientStd())) {
            // Gradients flow backwards: from the last layer towards the first.
            out.add(trend(kind + " gradients", group.size(), last, first, last.gradientStd(), first.gradientStd()));
        }
    }

    /** "relu activations: explosion: std grows from 1.2 (h.1) to 3.4e+40 (h.50), x6.5 per layer". */
    private static String trend(String what, int count, Layer from, Layer to, double a, double b) {
        String range = String.format(Locale.ROOT, "from %s (%s) to %s (%s) over %d layers", GradientCheck.number(a),
                from.row().name(), GradientCheck.number(b), to.row().name(), count);
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return what + ": explosion: the std overflows, " + range;
        }
        if (a == 0 || b == 0) {
            return what + ": vanishing: the std is 0, " + range;
        }
        double ratio = b / a;
        String perLayer = String.format(Locale.ROOT, ", x%s per layer", GradientCheck.number(Math.pow(ratio, 1.0 / (count - 1))));
        if (ratio > FACTOR) {
            return what + ": explosion: the std grows " + range + perLayer;
        }
        if (ratio < 1 / FACTOR) {
            return what + ": vanishing: the std shrinks towards 0 " + range + perLayer;
        }
        return what + ": steady: the std goes " + range + perLayer;
    }

    private static int length(Node node, int n) {
        return node.shape().batched() ? n * node.shape().size() : node.shape().size();
    }

    private static void feed(InterpretedModel im, Interpreter in, int n) {
        for (List<Tensor> group : List.of(im.inputs(), im.targets())) {
            for (Tensor t : group) {
                copy(t, in.leaf(t.name()), n * t.sampleSize());
            }
        }
    }

    private static void copy(Tensor from, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(i);
        }
    }

    /** Mean and variance by Welford's update: no cancellation, however large the values. */
    private static final class Stats {
        private long count;
        private double mean;
        private double m2;

        void add(double[] values, int length) {
            for (int i = 0; i < length; i++) {
                count++;
                double d = values[i] - mean;
                mean += d / count;
                m2 += d * (values[i] - mean);
            }
        }

        /** The population standard deviation, as numpy's std; NaN without values. */
        double std() {
            return count == 0 ? Double.NaN : Math.sqrt(m2 / count);
        }
    }
}
