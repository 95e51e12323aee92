package nnc.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nnc.interp.Interpreter;
import nnc.ir.Graph;
import nnc.ir.Node;

/**
 * Compares the gradients of a differentiated graph with central finite differences of its loss,
 * in double precision, through the interpreter.
 */
final class GradCheck {
    static final double STEP = 1e-5;

    private GradCheck() {}

    /** One mismatch, for the failure message. */
    record Mismatch(String param, int index, double symbolic, double numeric, double relativeError) {}

    /**
     * Fills inputs, targets and parameters with values from {@code fill}, then checks every
     * gradient element; returns the worst relative error and every mismatch above {@code tolerance}.
     */
    static List<Mismatch> check(Graph g, int batch, double tolerance, Filler fill) {
        Interpreter in = new Interpreter(g, batch);
        for (Node leaf : leaves(g)) {
            double[] v = in.leaf(leaf.name());
            for (int i = 0; i < v.length; i++) {
                v[i] = fill.value(leaf, i);
            }
        }
        in.trainStep(batch);
        // Copy every gradient before any loss evaluation: a gradient may be a forward value.
        java.util.Map<String, double[]> gradients = new java.util.HashMap<>();
        for (Node p : g.params()) {
            gradients.put(p.name(), in.gradient(p.name()).clone());
        }
        List<Mismatch> bad = new ArrayList<>();
        for (Node p : g.params()) {
            double[] symbolic = gradients.get(p.name());
            double[] value = in.leaf(p.name());
            for (int i = 0; i < value.length; i++) {
                double saved = value[i];
                value[i] = saved + STEP;
                double up = in.loss(batch, true); // as the training step computes it: batch statistics
                value[i] = saved - STEP;
                double down = in.loss(batch, true);
                value[i] = saved;
                double numeric = (up - down) / (2 * STEP);
                double err = relativeError(symbolic[i], numeric);
                if (!(err <= tolerance)) {
                    bad.add(new Mismatch(p.name(), i, symbolic[i], numeric, err));
                }
            }
        }
        return bad;
    }

    /**
     * |a - b| / max(|a|, |b|), with gradients below 1e-4 in magnitude compared absolutely: a
     * difference quotient cannot resolve relative error in a value that is almost zero.
     */
    static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-4, Math.max(Math.abs(a), Math.abs(b)));
    }

    private static List<Node> leaves(Graph g) {
        List<Node> all = new ArrayList<>(g.inputs());
        all.addAll(g.targets());
        all.addAll(g.params());
        return all;
    }

    /** Values for leaf elements. */
    interface Filler {
        double value(Node leaf, int index);

        /** Uniform in [lo, hi] from a seeded generator, away from 0 by at least {@code gap}. */
        static Filler uniform(long seed, double lo, double hi, double gap) {
            Random r = new Random(seed);
            return (leaf, i) -> {
                while (true) {
                    double v = lo + (hi - lo) * r.nextDouble();
                    if (Math.abs(v) >= gap) {
                        return v;
                    }
                }
            };
        }
    }
}
