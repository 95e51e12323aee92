package nnc.ir;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One value of the graph: an op applied to input nodes, with a static shape. Immutable; identity
 * is the node object. Attributes that do not apply to an op are neutral (0, false, null).
 */
public final class Node {
    private static final AtomicLong IDS = new AtomicLong();
    private static final int[] NO_INTS = new int[0];

    private final long id;
    private final Op op;
    private final List<Node> inputs;
    private final Shape shape;
    private final double value;
    private final boolean transA;
    private final boolean transB;
    private final int[] ints;
    private final ParamInfo param;
    private final String name;
    private final Origin origin;
    private final String label;

    Node(Op op, List<Node> inputs, Shape shape, double value, boolean transA, boolean transB, int[] ints,
            String name, ParamInfo param, Origin origin, String label) {
        if (inputs.size() != op.arity()) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, got " + inputs.size());
        }
        this.id = IDS.incrementAndGet();
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.shape = shape;
        this.value = value;
        this.transA = transA;
        this.transB = transB;
        this.ints = ints == null ? NO_INTS : ints.clone();
        this.name = name;
        this.param = param;
        this.origin = origin == null ? Origin.NONE : origin;
        this.label = label;
    }

    /** A process-wide unique, increasing id: a node's inputs always have smaller ids. */
    public long id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public Node input(int i) {
        return inputs.get(i);
    }

    public Shape shape() {
        return shape;
    }

    /** The constant of a CONST node, the exponent of a POW node. */
    public double value() {
        return value;
    }

    public boolean transA() {
        return transA;
    }

    public boolean transB() {
        return transB;
    }

    /**
     * Integer attributes: {stride, padding} of the convolutions, {kernelH, kernelW, stride, padding}
     * of the pools, {count} of RUNNING; empty for other ops.
     */
    public int[] ints() {
        return ints.clone();
    }

    /** Integer attribute {@code i} (see {@link #ints()}). */
    public int ints(int i) {
        return ints[i];
    }

    /** The .nn name of an INPUT, TARGET, PARAM or STATE node; null otherwise. */
    public String name() {
        return name;
    }

    /** Initialiser and fans of a PARAM node; null otherwise. */
    public ParamInfo param() {
        return param;
    }

    /** Where in the .nn file this node comes from. */
    public Origin origin() {
        return origin;
    }

    /** The .nn name of the value this node computes, if the user named it; else null. */
    public String label() {
        return label;
    }

    public boolean isConst() {
        return op == Op.CONST;
    }

    public boolean isConst(double v) {
        return op == Op.CONST && value == v;
    }

    /** The same node with other inputs (and a shape recomputed by the caller). */
    Node with(List<Node> newInputs, Shape newShape) {
        return new Node(op, newInputs, newShape, value, transA, transB, ints, name, param, origin, label);
    }

    Node withLabel(String newLabel) {
        return new Node(op, inputs, shape, value, transA, transB, ints, name, param, origin, newLabel);
    }

    @Override
    public String toString() {
        return Nodes.describe(this);
    }

    /**
     * What a PARAM node needs beyond its name and shape.
     *
     * @param init its initialiser
     * @param fanIn inputs per unit of its layer
     * @param fanOut units per input of its layer
     */
    public record ParamInfo(InitSpec init, int fanIn, int fanOut) {}
}
