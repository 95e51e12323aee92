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
    /**
     * Model state that is not trained, such as batch normalisation's running statistics: a named
     * buffer, reset to a constant (attribute value) by {@code initialize}, updated by {@link #RUNNING}.
     */
    STATE(Kind.LEAF, 0),

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
    MASK(Kind.RANDOM, 1),

    // Images: [channels, height, width] per sample. Attributes in ints().
    /**
     * 2-D convolution (cross-correlation, as in PyTorch) of x [C, H, W] with filters w [F, C, KH, KW]:
     * y [F, OH, OW], OH = (H + 2 padding - KH) / stride + 1. Attributes: {stride, padding}.
     */
    CONV2D(Kind.CONV, 2),
    /**
     * The transposed convolution: the adjoint of CONV2D in its input. conv2d_t(g, w) maps g [F, OH, OW]
     * and w [F, C, KH, KW] to [C, H, W] (the result's shape). Attributes: {stride, padding}.
     */
    CONV2D_T(Kind.CONV, 2),
    /**
     * The adjoint of CONV2D in its filters: conv2d_filter(x, g) maps x [C, H, W] and g [F, OH, OW] to
     * [F, C, KH, KW] (the result's shape), summed over the batch. Attributes: {stride, padding}.
     */
    CONV2D_FILTER(Kind.CONV, 2),
    /**
     * For each window of a max-pool over x [C, H, W], the position within the sample of its first
     * maximum, as a number: y [C, OH, OW]. Not differentiable. Attributes: {kernelH, kernelW, stride, padding}.
     */
    MAXPOOL_INDEX(Kind.POOL, 1),
    /** Windowed mean (padding counts as zeros): y [C, OH, OW]. Attributes: {kernelH, kernelW, stride, padding}. */
    AVGPOOL(Kind.POOL, 1),
    /** The adjoint of AVGPOOL: spreads each g [C, OH, OW] evenly over its window, into [C, H, W]. Same attributes. */
    AVGPOOL_T(Kind.POOL, 1),
    /** y[s, j] = x[s, index[s, j]] for each sample s: picks elements by position (shaped like index). */
    GATHER(Kind.INDEX, 2),
    /** The adjoint of GATHER: y[s, index[s, j]] += g[s, j], y shaped like the gather's source (the result's shape). */
    SCATTER(Kind.INDEX, 2),
    /** The same elements in another shape (the result's shape), row-major order unchanged. */
    RESHAPE(Kind.LAYOUT, 1),
    /**
     * running(state, stat): while training, returns the batch statistic {@code stat} and moves the
     * STATE buffer towards it, {@code state = (1 - momentum) state + momentum stat c}, where c is
     * N / (N - 1) for a variance over N = n * count values (count = ints()[0] &gt; 0), else 1;
     * otherwise returns the state. Attribute value: momentum.
     */
    RUNNING(Kind.STATEFUL, 2);

    /** The families of ops; kernels and code templates are written per family. */
    public enum Kind {
        LEAF,
        UNARY,
        BINARY,
        MATMUL,
        REDUCE,
        MOVE,
        ROW,
        RANDOM,
        CONV,
        POOL,
        INDEX,
        LAYOUT,
        STATEFUL
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
