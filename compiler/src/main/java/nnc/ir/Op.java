package nnc.ir;

/**
 * The closed set of IR operations. Everything the language offers is lowered to these; each has
 * exactly one derivative rule ({@code nnc.autodiff.Derivatives}), one interpreter kernel and one
 * code template. Adding an op means adding all three.
 */
public enum Op {
    // Leaves.
    /** A batched input fed from data. Attribute: name. */
    INPUT(Kind.LEAF, 0),
    /** A batched training target fed from data. Attribute: name. */
    TARGET(Kind.LEAF, 0),
    /** A trainable parameter. Attribute: name, initialiser, fans. */
    PARAM(Kind.LEAF, 0),
    /** A constant filled with one value. Attribute: value. */
    CONST(Kind.LEAF, 0),
    /** The run-time batch size n as an unbatched scalar. */
    BATCH(Kind.LEAF, 0),

    // Elementwise, one operand.
    NEG(Kind.UNARY, 1),
    EXP(Kind.UNARY, 1),
    LOG(Kind.UNARY, 1),
    SIN(Kind.UNARY, 1),
    COS(Kind.UNARY, 1),
    TANH(Kind.UNARY, 1),
    SIGMOID(Kind.UNARY, 1),
    RELU(Kind.UNARY, 1),
    /** 1 where x &gt; 0, else 0: the derivative of relu. */
    STEP(Kind.UNARY, 1),
    /** log(1 + e^x), computed without overflow. */
    SOFTPLUS(Kind.UNARY, 1),
    /** The error function. */
    ERF(Kind.UNARY, 1),
    /** sin(x) / x, 1 at 0. */
    SINC(Kind.UNARY, 1),
    /** The derivative of sinc, 0 at 0. */
    DSINC(Kind.UNARY, 1),
    /** x raised to a constant. Attribute: value (the exponent). */
    POW(Kind.UNARY, 1),

    // Elementwise, two operands, numpy-style broadcasting.
    ADD(Kind.BINARY, 2),
    SUB(Kind.BINARY, 2),
    MUL(Kind.BINARY, 2),
    DIV(Kind.BINARY, 2),

    /**
     * Matrix product of the operands viewed as matrices (all dimensions but the last are rows,
     * the batch included), either possibly transposed. Attributes: transA, transB.
     */
    MATMUL(Kind.MATMUL, 2),

    // Shape-changing.
    /** Sums the operand down to a smaller shape it broadcasts to (the result's shape). */
    SUM(Kind.REDUCE, 1),
    /** Broadcasts the operand up to a larger shape (the result's shape). */
    EXPAND(Kind.MOVE, 1),

    // Along the last axis.
    /** log(sum(exp(x))) over the last axis, kept as a dimension of 1; computed without overflow. */
    LOGSUMEXP(Kind.ROW, 1),
    /** Class indices to one-hot rows of width K (attribute value). Not differentiable in its input. */
    ONEHOT(Kind.ROW, 1),

    /**
     * A dropout mask shaped like its operand: while training, each element is 0 with probability
     * p (attribute value) and 1/(1-p) otherwise, from the model's seeded generator; otherwise 1.
     */
    MASK(Kind.RANDOM, 1);

    /** The families of ops; kernels and code templates are written per family. */
    public enum Kind {
        LEAF,
        UNARY,
        BINARY,
        MATMUL,
        REDUCE,
        MOVE,
        ROW,
        RANDOM
    }

    private final Kind kind;
    private final int arity;

    Op(Kind kind, int arity) {
        this.kind = kind;
        this.arity = arity;
    }

    public Kind kind() {
        return kind;
    }

    public int arity() {
        return arity;
    }

    public boolean isElementwise() {
        return kind == Kind.UNARY || kind == Kind.BINARY;
    }

    /** Lower-case name for dumps: {@code matmul}. */
    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
