package nnc.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Layout;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * The code template of every op: loops specialised to the node's static shape, reading operands
 * from their buffers (constants inline). One method per op family, one expression per op.
 */
final class Kernels {
    /** Loop counters and locals the templates use; {@link JavaNames} never hands these out. */
    static final String[] LOCALS = {"n", "i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9",
        "v", "acc", "row", "col", "k", "a", "b", "max", "training", "dropout", "MathFunctions", "Rng", "a0", "a1", "a2", "a3",
        "bv", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"};

    private final Precision precision;
    private final Map<Node, String> buffers;
    /** SIMD templates, or null for scalar code only. */
    private final VectorKernels vectors;
    private final ImageKernels images;

    Kernels(Precision precision, Map<Node, String> buffers) {
        this(precision, buffers, null);
    }

    /** Elementwise nodes computed in their consumer's loop ({@link Fusion}); their names are locals there. */
    private final Set<Node> inlined;

    Kernels(Precision precision, Map<Node, String> buffers, VectorKernels vectors) {
        this(precision, buffers, vectors, Set.of());
    }

    Kernels(Precision precision, Map<Node, String> buffers, VectorKernels vectors, Set<Node> inlined) {
        this(precision, buffers, vectors, inlined, Map.of(), name -> name);
    }

    /** {@code namer} allocates the names of helper methods ({@link #takeHelpers}). */
    Kernels(Precision precision, Map<Node, String> buffers, VectorKernels vectors, Set<Node> inlined,
            Map<Node, Fusion.Epilogue> epilogues, java.util.function.UnaryOperator<String> namer) {
        this.precision = precision;
        this.buffers = buffers;
        this.vectors = vectors;
        this.inlined = inlined;
        this.epilogues = epilogues;
        this.images = new ImageKernels(precision, buffers, vectors, namer);
    }

    /** Methods the last templates call besides the node's own (the SIMD convolutions' per-sample methods), to add to the class. */
    List<com.palantir.javapoet.MethodSpec> takeHelpers() {
        return images.takeHelpers();
    }

    /** Constant tables the last templates read (the SIMD convolutions' tap offsets), to add to the class. */
    List<com.palantir.javapoet.FieldSpec> takeFields() {
        return images.takeFields();
    }

    /** Products with their bias and activation applied as they are stored ({@link Fusion#epilogues}), by root. */
    private final Map<Node, Fusion.Epilogue> epilogues;

    /** Elements of the two scratch arrays {@code node}'s template needs ({0, 0} for none). */
    int[] scratch(Node node) {
        return images.scratch(node);
    }

    /** The statements computing {@code node} into its buffer for a batch of {@code n}. */
    CodeBlock compute(Node node) {
        Fusion.Epilogue e = epilogues.get(node);
        if (e != null) {
            String tail = e.activation() == null ? "acc" : expression(e.activation(), List.of("acc"));
            return vectors.matmulEpilogue(e, tail);
        }
        return switch (node.op().kind()) {
            case UNARY, BINARY, MOVE -> elementwise(node);
            case REDUCE -> sum(node);
            case ROW -> node.op() == Op.ONEHOT ? oneHot(node) : logSumExp(node);
            case RANDOM -> mask(node);
            case MATMUL -> simdOrScalarMatmul(node);
            case CONV, POOL, INDEX, LAYOUT, STATEFUL -> images.compute(node);
            case LEAF -> throw new IllegalArgumentException("leaves are not computed: " + node);
        };
    }

    // ---- elementwise ops, with broadcasting -------------------------------------------------

    /** The expression of an elementwise op over operand expressions (each used once). */
    private String expression(Node node, List<String> x) {
        String a = x.get(0);
        return switch (node.op()) {
            case NEG -> "-" + a;
            case EXP -> precision.math("exp", a);
            case LOG -> precision.math("log", a);
            case SIN -> precision.math("sin", a);
            case COS -> precision.math("cos", a);
            case TANH -> precision.math("tanh", a);
            case SIGMOID -> precision.literal(1) + " / (" + precision.literal(1) + " + " + precision.math("exp", "-" + a) + ")";
            case RELU -> a + " > 0 ? " + a + " : " + precision.literal(0);
            case STEP -> a + " > 0 ? " + precision.literal(1) + " : " + precision.literal(0);
            case POW -> pow(a, node.value());
            case SOFTPLUS -> precision.fromDouble("nnc.runtime.MathFunctions.softplus(" + a + ")");
            case ERF -> precision.fromDouble("nnc.runtime.MathFunctions.erf(" + a + ")");
            case SINC -> precision.fromDouble("nnc.runtime.MathFunctions.sinc(" + a + ")");
            case DSINC -> precision.fromDouble("nnc.runtime.MathFunctions.sincDerivative(" + a + ")");
            case ADD -> a + " + " + x.get(1);
            case SUB -> a + " - " + x.get(1);
            case MUL -> a + " * " + x.get(1);
            case DIV -> a + " / " + x.get(1);
            case EXPAND -> a;
            default -> throw new IllegalArgumentException(node.op() + " is not elementwise");
        };
    }

    /** Whether the expression mentions its first operand more than once (then it is bound first). */
    private static boolean readsTwice(Node node) {
        return node.op() == Op.RELU || node.op() == Op.STEP
                || (node.op() == Op.POW && (node.value() == 2 || node.value() == 3));
    }

    /**
     * Whether an elementwise loop is too short for SIMD code: a value of one sample's size or less
     * (batch norm's per-channel statistics) makes a few vectors per call, called once a step, so C2
     * compiles its method only after thousands of steps; until then the interpreter and C1 box every
     * vector (the CNN samples allocated 1.8 kB a step after 2,000 steps). Scalar code allocates nothing
     * from the first call and costs well under a microsecond here.
     */
    static boolean smallAndCold(Node node) {
        return !node.shape().batched() && node.shape().size() <= SMALL;
    }

    /** Elements up to which an unbatched elementwise loop stays scalar ({@link #smallAndCold}). */
    static final int SMALL = 1024;

    private String pow(String a, double c) {
        if (c == 2) {
            return a + " * " + a;
        } else if (c == 3) {
            return a + " * " + a + " * " + a;
        } else if (c == -1) {
            return precision.literal(1) + " / " + a;
        } else if (c == 0.5) {
            return precision.math("sqrt", a);
        }
        return precision.math("pow", a + ", " + precision.doubleLiteral(c));
    }

    private CodeBlock elementwise(Node node) {
        // The arrays the loop reads: the operands, and those of the operands computed in this loop.
        List<Node> leaves = new ArrayList<>();
        collectLeaves(node, leaves);
        List<int[]> strides = new ArrayList<>();
        strides.add(Layout.broadcastStrides(node.shape(), node.shape()));
        for (Node x : leaves) {
            strides.add(isBuffer(x) ? Layout.broadcastStrides(x.shape(), node.shape()) : null);
        }
        Loops loops = Loops.merge(node.shape(), strides);
        CodeBlock.Builder body = CodeBlock.builder();
        String e = scalarTree(node, leaves, loops, body, new int[1]);
        body.addStatement("$L[$L] = $L", buffers.get(node), loops.index(0), e);
        CodeBlock simd = vectors == null || smallAndCold(node) ? null : vectorElementwise(node, leaves, loops, body.build());
        if (simd != null) {
            return simd;
        }
        CodeBlock.Builder c = CodeBlock.builder();
        loops.open(c);
        c.add(body.build());
        loops.close(c);
        return c.build();
    }

    /** Operands in arrays (or constants) of {@code node} and of the operands computed in its loop, each once. */
    private void collectLeaves(Node node, List<Node> leaves) {
        for (Node x : node.inputs()) {
            if (inlined.contains(x)) {
                collectLeaves(x, leaves);
            } else if (leaves.stream().noneMatch(l -> l == x)) {
                leaves.add(x);
            }
        }
    }

    private int leafIndex(List<Node> leaves, Node x) {
        for (int k = 0; k < leaves.size(); k++) {
            if (leaves.get(k) == x) {
                return k;
            }
        }
        throw new IllegalStateException("not a leaf: " + x);
    }

    /**
     * The scalar expression of {@code node} inside the loops; operands computed in the loop are
     * declared as locals first, in {@code body}. {@code temps} numbers the locals {@code v0, v1, ...}
     * that hold an array element an expression reads twice.
     */
    private String scalarTree(Node node, List<Node> leaves, Loops loops, CodeBlock.Builder body, int[] temps) {
        List<String> reads = new ArrayList<>();
        for (Node x : node.inputs()) {
            if (inlined.contains(x)) {
                String e = scalarTree(x, leaves, loops, body, temps);
                body.addStatement("$L $L = $L", precision.type(), buffers.get(x), e);
                reads.add(buffers.get(x));
            } else {
                reads.add(read(x, loops.index(leafIndex(leaves, x) + 1)));
            }
        }
        if (readsTwice(node) && !inlined.contains(node.input(0))) {
            String v = "v" + temps[0]++;
            body.addStatement("$L $L = $L", precision.type(), v, reads.get(0));
            reads.set(0, v);
        }
        return expression(node, reads);
    }

    /**
     * The SIMD form of an elementwise loop: whole vectors along the innermost loop, where every
     * array is contiguous or constant, then {@code scalar} for the remaining elements. Null when an
     * op or the layout has no vector form.
     */
    private CodeBlock vectorElementwise(Node node, List<Node> leaves, Loops loops, CodeBlock scalar) {
        if (loops.depth() == 0 || !contiguousOrBroadcast(leaves, loops)) {
            return null;
        }
        CodeBlock.Builder body = CodeBlock.builder();
        boolean[] zero = new boolean[1];
        String e = vectorTree(node, leaves, loops, body, new int[1], zero);
        if (e == null) {
            return null;
        }
        CodeBlock.Builder c = CodeBlock.builder();
        if (zero[0]) {
            c.addStatement("$T zero = $T.zero(SPECIES)", vectors.vectorType(), vectors.vectorType());
        }
        loops.openOuter(c);
        String i = loops.innermost();
        c.addStatement("int $L = 0", i);
        c.beginControlFlow("for (; $L + LANES <= $L; $L += LANES)", i, loops.innermostSize(), i);
        c.add(body.build());
        c.addStatement("$L.intoArray($L, $L)", e, buffers.get(node), loops.index(0));
        c.endControlFlow();
        c.beginControlFlow("for (; $L < $L; $L++)", i, loops.innermostSize(), i);
        c.add(scalar);
        c.endControlFlow();
        loops.closeOuter(c);
        return c.build();
    }

    /** {@link #scalarTree} in vectors; null when an op has no vector form. */
    private String vectorTree(Node node, List<Node> leaves, Loops loops, CodeBlock.Builder body, int[] temps, boolean[] zero) {
        List<String> reads = new ArrayList<>();
        for (Node x : node.inputs()) {
            if (inlined.contains(x)) {
                String e = vectorTree(x, leaves, loops, body, temps, zero);
                if (e == null) {
                    return null;
                }
                body.addStatement("$T $L = $L", vectors.vectorType(), buffers.get(x), e);
                reads.add(buffers.get(x));
            } else if (!isBuffer(x)) {
                reads.add(vectors.broadcast(read(x, "0")));
            } else {
                int k = leafIndex(leaves, x) + 1;
                reads.add(loops.innermostStride(k) == 1 ? vectors.load(buffers.get(x), loops.index(k))
                        : vectors.broadcast(read(x, loops.index(k))));
            }
        }
        if (VectorKernels.bindsFirst(node) && !inlined.contains(node.input(0))) {
            String v = "v" + temps[0]++;
            body.addStatement("$T $L = $L", vectors.vectorType(), v, reads.get(0));
            reads.set(0, v);
        }
        zero[0] |= VectorKernels.usesZero(node);
        return vectors.expression(node, reads);
    }

    // ---- reductions ----------------------------------------------------------------------------

    private CodeBlock sum(Node node) {
        Node x = node.input(0);
        Shape from = x.shape();
        // The arrays read: x, or when x is computed in this loop (Fusion), the operands of its tree.
        boolean fused = inlined.contains(x);
        List<Node> leaves = new ArrayList<>();
        List<int[]> strides = new ArrayList<>();
        strides.add(Layout.broadcastStrides(from, from));
        if (fused) {
            collectLeaves(x, leaves);
            for (Node leaf : leaves) {
                strides.add(isBuffer(leaf) ? Layout.broadcastStrides(leaf.shape(), from) : null);
            }
        }
        int outAt = strides.size();
        strides.add(Layout.broadcastStrides(node.shape(), from));
        Loops loops = Loops.merge(from, strides);
        CodeBlock.Builder c = CodeBlock.builder();
        String out = buffers.get(node);
        String outIndex = loops.index(outAt);
        // x's element, and the statements computing it first when it is computed here.
        CodeBlock.Builder scalarBody = CodeBlock.builder();
        String in = fused ? scalarTree(x, leaves, loops, scalarBody, new int[1]) : read(x, loops.index(0));
        // x's vector at the innermost index, or null where x has no vector form here.
        CodeBlock.Builder vectorBody = CodeBlock.builder();
        boolean[] zero = new boolean[1];
        String vector = null;
        if (vectors != null && loops.depth() > 0 && loops.innermostStride(0) == 1) {
            if (!fused) {
                vector = isBuffer(x) ? vectors.load(buffers.get(x), loops.index(0)) : null;
            } else if (contiguousOrBroadcast(leaves, loops)) {
                vector = vectorTree(x, leaves, loops, vectorBody, new int[1], zero);
            }
        }
        if (node.shape().size() == 1 && !node.shape().batched()) {
            // A total: accumulate in double, whatever the precision, so long sums stay accurate.
            c.addStatement("double acc = 0");
            loops.open(c);
            c.add(scalarBody.build());
            c.addStatement("acc += $L", in);
            loops.close(c);
            c.addStatement("$L[0] = $L", out, precision.fromDouble("acc"));
        } else if (vector != null && loops.innermostStride(outAt) == 1) {
            // Rows added to rows, a vector at a time: each sum still adds its terms in the same order.
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, size(node.shape()), precision.literal(0));
            zeroVector(c, zero);
            loops.openOuter(c);
            String i = loops.innermost();
            c.addStatement("int $L = 0", i);
            c.beginControlFlow("for (; $L + LANES <= $L; $L += LANES)", i, loops.innermostSize(), i);
            c.add(vectorBody.build());
            c.addStatement("$L.add($L).intoArray($L, $L)", vectors.load(out, outIndex), vector, out, outIndex);
            c.endControlFlow();
            c.beginControlFlow("for (; $L < $L; $L++)", i, loops.innermostSize(), i);
            c.add(scalarBody.build());
            c.addStatement("$L[$L] += $L", out, outIndex, in);
            c.endControlFlow();
            loops.closeOuter(c);
        } else if (vector != null && loops.innermostStride(outAt) == 0 && !loops.innermostSize().contains("n")
                && Integer.parseInt(loops.innermostSize()) >= 64) {
            // Each row summed a vector at a time in lanes, then across them: a dependent chain of
            // scalar adds through memory was 1 ns an element (bias gradients of a convolution).
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, size(node.shape()), precision.literal(0));
            zeroVector(c, zero);
            loops.openOuter(c);
            String i = loops.innermost();
            c.addStatement("$T acc = $T.zero(SPECIES)", vectors.vectorType(), vectors.vectorType());
            c.addStatement("int $L = 0", i);
            c.beginControlFlow("for (; $L + LANES <= $L; $L += LANES)", i, loops.innermostSize(), i);
            c.add(vectorBody.build());
            c.addStatement("acc = acc.add($L)", vector);
            c.endControlFlow();
            c.addStatement("$L row = acc.reduceLanes($T.ADD)", precision.type(), VectorKernels.OPERATORS);
            c.beginControlFlow("for (; $L < $L; $L++)", i, loops.innermostSize(), i);
            c.add(scalarBody.build());
            c.addStatement("row += $L", in);
            c.endControlFlow();
            c.addStatement("$L[$L] += row", out, outIndex);
            loops.closeOuter(c);
        } else {
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, size(node.shape()), precision.literal(0));
            loops.open(c);
            c.add(scalarBody.build());
            c.addStatement("$L[$L] += $L", out, outIndex, in);
            loops.close(c);
        }
        return c.build();
    }

    /** Whether every array among {@code leaves} is contiguous or constant along the innermost loop. */
    private static boolean contiguousOrBroadcast(List<Node> leaves, Loops loops) {
        for (int k = 0; k < leaves.size(); k++) {
            int stride = loops.innermostStride(k + 1);
            if (isBuffer(leaves.get(k)) && stride != 0 && stride != 1) {
                return false;
            }
        }
        return true;
    }

    private void zeroVector(CodeBlock.Builder c, boolean[] zero) {
        if (zero[0]) {
            c.addStatement("$T zero = $T.zero(SPECIES)", vectors.vectorType(), vectors.vectorType());
        }
    }

    // ---- along the last axis ------------------------------------------------------------------

    private CodeBlock logSumExp(Node node) {
        Node x = node.input(0);
        int width = x.shape().last();
        String rows = rows(x.shape());
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// max + log(sum(exp(x - max))): no exponential overflows\n");
        c.beginControlFlow("for (int row = 0; row < $L; row++)", rows);
        c.addStatement("double max = Double.NEGATIVE_INFINITY");
        c.beginControlFlow("for (int col = 0; col < $L; col++)", width);
        c.addStatement("max = Math.max(max, $L)", read(x, "row * " + width + " + col"));
        c.endControlFlow();
        c.addStatement("double acc = 0");
        c.beginControlFlow("for (int col = 0; col < $L; col++)", width);
        c.addStatement("acc += Math.exp($L - max)", read(x, "row * " + width + " + col"));
        c.endControlFlow();
        c.addStatement("$L[row] = $L", out, precision.fromDouble("(max == Double.NEGATIVE_INFINITY ? max : max + Math.log(acc))"));
        c.endControlFlow();
        return c.build();
    }

    private CodeBlock oneHot(Node node) {
        Node x = node.input(0);
        int classes = (int) node.value();
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.beginControlFlow("for (int row = 0; row < $L; row++)", size(x.shape()));
        c.addStatement("int k = (int) $L", read(x, "row"));
        c.beginControlFlow("for (int col = 0; col < $L; col++)", classes);
        c.addStatement("$L[row * $L + col] = col == k ? $L : $L", out, classes, precision.literal(1), precision.literal(0));
        c.endControlFlow();
        c.endControlFlow();
        return c.build();
    }

    // ---- dropout -------------------------------------------------------------------------------

    private CodeBlock mask(Node node) {
        double p = node.value();
        String out = buffers.get(node);
        String len = size(node.shape());
        CodeBlock.Builder c = CodeBlock.builder();
        if (p == 0) {
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, len, precision.literal(1));
            return c.build();
        }
        c.beginControlFlow("if (!training)");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, len, precision.literal(1));
        if (p == 1) {
            c.nextControlFlow("else");
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, len, precision.literal(0));
        } else {
            c.nextControlFlow("else");
            c.add("// inverted dropout: keep with probability $L, scaled by 1 / (1 - p)\n", nnc.ir.Nodes.number(1 - p));
            c.beginControlFlow("for (int i0 = 0; i0 < $L; i0++)", len);
            c.addStatement("$L[i0] = dropout.nextDouble() < $L ? $L : $L", out, precision.doubleLiteral(p),
                    precision.literal(0), precision.literal(1 / (1 - p)));
            c.endControlFlow();
        }
        c.endControlFlow();
        return c.build();
    }

    // ---- matrix products -----------------------------------------------------------------------

    private CodeBlock simdOrScalarMatmul(Node node) {
        CodeBlock simd = vectors == null ? null : vectors.matmul(node);
        return simd != null ? simd : matmul(node);
    }

    private CodeBlock matmul(Node node) {
        Node a = node.input(0);
        Node b = node.input(1);
        String rowsA = rows(a.shape());
        int colsA = a.shape().last();
        String rowsB = rows(b.shape());
        int colsB = b.shape().last();
        String out = buffers.get(node);
        String t = precision.type();
        CodeBlock.Builder c = CodeBlock.builder();
        if (!node.transA() && !node.transB()) {
            // C[i, j] = sum_k A[i, k] B[k, j]
            rowBlocked(c, out, colsB, rowsA, Integer.toString(colsA), a,
                    row -> (row.contains("+") ? "(" + row + ")" : row) + " * " + colsA + " + k", b, colsB);
        } else if (!node.transA()) {
            // C[i, j] = sum_k A[i, k] B[j, k]: dot products of two contiguous rows.
            c.beginControlFlow("for (int row = 0; row < $L; row++)", rowsA);
            c.beginControlFlow("for (int col = 0; col < $L; col++)", rowsB);
            c.addStatement("$L acc = 0", t);
            c.beginControlFlow("for (int k = 0; k < $L; k++)", colsA);
            c.addStatement("acc += $L * $L", read(a, "row * " + colsA + " + k"), read(b, "col * " + colsB + " + k"));
            c.endControlFlow();
            c.addStatement("$L[row * $L + col] = acc", out, rowsB);
            c.endControlFlow().endControlFlow();
        } else if (!node.transB()) {
            // C[i, j] = sum_k A[k, i] B[k, j]: a weight gradient, k running over the batch
            rowBlocked(c, out, colsB, Integer.toString(colsA), rowsA, a, row -> "k * " + colsA + " + " + row, b, colsB);
        } else {
            // C[i, j] = sum_k A[k, i] B[j, k].
            c.beginControlFlow("for (int row = 0; row < $L; row++)", colsA);
            c.beginControlFlow("for (int col = 0; col < $L; col++)", rowsB);
            c.addStatement("$L acc = 0", t);
            c.beginControlFlow("for (int k = 0; k < $L; k++)", rowsA);
            c.addStatement("acc += $L * $L", read(a, "k * " + colsA + " + row"), read(b, "col * " + colsB + " + k"));
            c.endControlFlow();
            c.addStatement("$L[row * $L + col] = acc", out, rowsB);
            c.endControlFlow().endControlFlow();
        }
        return c.build();
    }

    /**
     * {@code C[i, j] = sum_k A(i, k) B[k, j]}, four rows of C at a time: each row of B is read once
     * for four rows of C, which stay in cache. Every C[i, j] still adds its terms in the order of k,
     * as the interpreter does, so float results agree to the bit.
     *
     * @param aIndex the index of A(i, k) for a row expression i (k is the loop variable {@code k})
     */
    private void rowBlocked(CodeBlock.Builder c, String out, int cols, String rows, String depth, Node a,
            java.util.function.UnaryOperator<String> aIndex, Node b, int colsB) {
        String t = precision.type();
        c.addStatement("$T.fill($L, 0, $L * $L, $L)", Arrays.class, out, rows, cols, precision.literal(0));
        c.addStatement("int row = 0");
        c.beginControlFlow("for (; row + 3 < $L; row += 4)", rows);
        c.beginControlFlow("for (int k = 0; k < $L; k++)", depth);
        for (int i = 0; i < 4; i++) {
            c.addStatement("$L a$L = $L", t, i, read(a, aIndex.apply("row + " + i)));
        }
        c.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        c.addStatement("$L bv = $L", t, read(b, "k * " + colsB + " + col"));
        for (int i = 0; i < 4; i++) {
            c.addStatement("$L[(row + $L) * $L + col] += a$L * bv", out, i, cols, i);
        }
        c.endControlFlow().endControlFlow().endControlFlow();
        c.beginControlFlow("for (; row < $L; row++)", rows);
        c.beginControlFlow("for (int k = 0; k < $L; k++)", depth);
        c.addStatement("$L a = $L", t, read(a, aIndex.apply("row")));
        c.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        c.addStatement("$L[row * $L + col] += a * $L", out, cols, read(b, "k * " + colsB + " + col"));
        c.endControlFlow().endControlFlow().endControlFlow();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Whether a node lives in an array (constants and the batch size are inlined instead). */
    static boolean isBuffer(Node n) {
        return n.op() != Op.CONST && n.op() != Op.BATCH;
    }

    private String read(Node x, String index) {
        if (x.op() == Op.CONST) {
            return precision.literal(x.value());
        }
        if (x.op() == Op.BATCH) {
            return "(" + precision.type() + ") n";
        }
        return buffers.get(x) + "[" + index + "]";
    }

    /** Rows of a tensor viewed as a matrix: every dimension but the last, the batch included. */
    private static String rows(Shape s) {
        int r = s.size() / s.last();
        return s.batched() ? (r == 1 ? "n" : "n * " + r) : Integer.toString(r);
    }

    /** Elements of a tensor for a batch of n. */
    static String size(Shape s) {
        return s.batched() ? (s.size() == 1 ? "n" : "n * " + s.size()) : Integer.toString(s.size());
    }
}
