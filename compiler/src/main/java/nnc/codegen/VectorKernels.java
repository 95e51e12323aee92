package nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * SIMD templates with the Vector API (jdk.incubator.vector), used in place of {@link Kernels}'
 * scalar loops where they apply: matrix products in all three forms, elementwise ops whose
 * innermost loop is contiguous, and sums over rows. The vector width is the machine's preferred
 * species, read once into the class's {@code LANES}; the JIT folds it into the loop bounds, so
 * every loop is still specialised to the node's static shape.
 *
 * <p>Matrix products keep blocks of 4 rows by 2 vectors of columns of the result in 8 registers
 * (the FMA units need 8 independent chains to stay busy) and walk the depth in steps of at most
 * {@value #DEPTH_BLOCK}, so that the slice of the right operand in use stays in the L1 cache.
 * Where the right operand's row stride is a multiple of {@value #PANEL_STRIDE} elements and the
 * product has at least {@value #PANEL_ROWS} rows and a depth over {@value #PANEL_DEPTH}, that slice
 * is first copied into a contiguous panel: rows 512 bytes apart or a multiple of that fall into at
 * most 8 of the L1 cache's 64 sets and evict one another, so without the copy every row block read
 * them from L2 (Fashion-MNIST's 256-column weights; 784 columns spread over every set and gain
 * nothing). Panels are read by blocks of 6 rows (12 registers) where A is read by rows, of 5 where
 * it is read by columns. Each element still sums its terms in the order of k, whatever the blocks,
 * but with fused multiply-adds: float results differ from the scalar form's in the last bits.
 */
final class VectorKernels {
    /** Locals the templates use, reserved in {@link JavaNames}. */
    static final String[] LOCALS = {"SPECIES", "LANES", "FloatVector", "DoubleVector", "VectorSpecies", "VectorMath",
        "VectorOperators", "transposed", "k0", "k1", "b0", "b1", "c00", "c01", "c10", "c11", "c20", "c21", "c30", "c31",
        "c40", "c41", "c50", "c51", "s0", "s1", "s2", "s3", "a0", "a1", "a2", "a3", "a4", "a5", "acc", "vx", "zero", "r0",
        "r1", "part", "parts", "Workers", "parallelBatch", "panel", "panels", "chunk", "chunkEnd"};

    static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    static final ClassName DOUBLE_VECTOR = ClassName.get("jdk.incubator.vector", "DoubleVector");
    static final ClassName SPECIES_TYPE = ClassName.get("jdk.incubator.vector", "VectorSpecies");
    static final ClassName OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    static final ClassName VECTOR_MATH = ClassName.get("nnc.runtime", "VectorMath");

    /** The most lanes a vector of the generated code may have at run time: 512 bits of floats. */
    static final int MAX_LANES = 16;

    /** Depth of a step of a matrix product: 256 k of 2 vectors are 16 KiB of floats, half of L1. */
    static final int DEPTH_BLOCK = 256;

    /** The right operand's row strides (multiples of this) whose slices are copied into panels. */
    static final int PANEL_STRIDE = 128;

    /** The depth up to which the rows of a slice fit in the few L1 sets they share: no panel. */
    static final int PANEL_DEPTH = 64;

    /** Rows of A per chunk when A is read by columns, 8 blocks of 5: a 256-deep batch of them is 40 KiB. */
    static final int CHUNK_ROWS = 40;

    /** The fewest rows for which a panel pays: its copy costs about one row block's loads. */
    static final int PANEL_ROWS = 12;

    /** Rows of a block read from a panel when A is read by rows. */
    private static final int PANEL_BLOCK = 6;

    /**
     * Rows of a block when A is read by columns (a weight gradient, {@code X^T dY}): 10 sums. With
     * 12 (blocks of 6) C2 spilled one to the stack every k (53 GFLOP/s); blocks of 5 ran 1.02-1.1x
     * faster than blocks of 4 in one JVM, 1.27-1.35x in JMH (Fashion-MNIST's 784 x 256 x 256).
     */
    private static final int COLUMN_BLOCK = 5;

    /**
     * Products of at least this many floating-point operations at the maximum batch are split by
     * rows among {@link #WORKERS}: handing out the parts costs some microseconds, a product this
     * large takes about a millisecond on one core.
     */
    static final double PARALLEL_FLOPS = 16e6;

    static final ClassName WORKERS = ClassName.get("nnc.runtime", "Workers");

    private final Precision precision;
    private final Map<Node, String> buffers;
    private final ClassName vector;
    private final int maxBatch;
    private int scratch;
    /** Whether the product being generated is one part of a split product. */
    private boolean split;
    /** The bias and activation applied as the product being generated is stored, or null. */
    private Fusion.Epilogue epilogue;
    /** The epilogue's value of a scalar {@code acc} with the bias added, for the columns past the last vector. */
    private String epilogueScalar;
    /** Where the result starts in its array ({@link #convolutionProduct}), or "". */
    private String outBase = "";
    /** The index of row k of the right operand ({@link #convolutionProduct}), or null for k times its stride. */
    private java.util.function.UnaryOperator<String> bRow;
    /** Whether the product adds to the result instead of overwriting it ({@link #convolutionProduct}). */
    private boolean adds;
    /** Whether the product being generated may copy its right operand into panels. */
    private boolean panelForm;
    /** Whether it reads A by columns ({@code X^T dY}): panels of all of B, rows in chunks, blocks of 4. */
    private boolean byColumns;
    /** Whether the block being generated reads the right operand from {@code panel}. */
    private boolean fromPanel;
    /** Whether some product of the class copies into panels, and whether one of those is split. */
    private boolean panelsUsed;
    private boolean panelsSplit;
    /** Elements of the largest panel of a whole right operand ({@link #product}'s form for A read by columns). */
    private int wholePanel;
    /** Where the panel of the block being generated starts: "" or {@code col * step + }. */
    private String panelBase = "";
    /** Where a block's second vector of columns starts past {@code col}: the next vector, or one ending at the last column. */
    private String secondVector = "LANES";

    VectorKernels(Precision precision, Map<Node, String> buffers, int maxBatch) {
        this.precision = precision;
        this.buffers = buffers;
        this.vector = precision == Precision.FLOAT ? FLOAT_VECTOR : DOUBLE_VECTOR;
        this.maxBatch = maxBatch;
    }

    /** The vector type of generated code. */
    ClassName vectorType() {
        return vector;
    }

    /** Elements of the {@code transposed} scratch array the products need (0: none). */
    int scratchSize() {
        return scratch;
    }

    /** Whether the class needs the {@code panels} arrays ({@link #panels}). */
    boolean usesPanels() {
        return panelsUsed;
    }

    /**
     * The initializer of the {@code panels} field: one panel of {@value #DEPTH_BLOCK} rows by 2
     * vectors for each thread that may copy into one at the same time.
     */
    CodeBlock panels() {
        CodeBlock size = wholePanel > 0 ? CodeBlock.of("Math.max($L * 2 * LANES, $L)", DEPTH_BLOCK, wholePanel)
                : CodeBlock.of("$L * 2 * LANES", DEPTH_BLOCK);
        return panelsSplit
                ? CodeBlock.of("new $L[$T.shared().parts()][$L]", precision.type(), WORKERS, size)
                : CodeBlock.of("new $L[1][$L]", precision.type(), size);
    }

    /** Elements of one thread's panel that a product copies into, for a machine of 16 lanes (0: none). */
    static long panelElements(Node node, int maxBatch) {
        if (node.op() != Op.MATMUL || (node.transA() && node.transB())) {
            return 0;
        }
        Node a = node.input(0);
        Node b = node.input(1);
        if (!Kernels.isBuffer(a) || !Kernels.isBuffer(b)) {
            return 0;
        }
        boolean batchedRight = node.transB() && b.shape().batched();
        int stride = node.transB() ? b.shape().size() / b.shape().last() : b.shape().last();
        double rows = node.transA() ? a.shape().last() : rowsAt(a.shape(), maxBatch);
        double depth = node.transA() ? rowsAt(a.shape(), maxBatch) : a.shape().last();
        if (batchedRight || !panelPays(stride, depth, rows)) {
            return 0;
        }
        return node.transA() ? (long) Math.min(depth, DEPTH_BLOCK) * b.shape().last() : DEPTH_BLOCK * 2 * 16;
    }

    /**
     * Whether a product copies its right operand into panels: rows this many elements apart share
     * few enough L1 sets, and the depth and rows (at the largest batch) are large enough to pay for
     * the copy. {@link #product} and the memory plan both ask here.
     */
    private static boolean panelPays(int stride, double depth, double rows) {
        return stride > 0 && stride % PANEL_STRIDE == 0 && depth > PANEL_DEPTH && rows >= PANEL_ROWS;
    }

    // ---- matrix products -----------------------------------------------------------------------

    /**
     * Whether the product is split by rows among threads: it is large at the maximum batch, and
     * has the SIMD form with more than one row of blocks. Its code then computes rows
     * {@code r0} to {@code r1} of part {@code part} of {@code parts}.
     */
    boolean parallel(Node node) {
        return parallel(node, maxBatch);
    }

    /** {@link #parallel(Node)} for a class of batches up to {@code maxBatch}. */
    static boolean parallel(Node node, int maxBatch) {
        Node a = node.input(0);
        Node b = node.input(1);
        if (!Kernels.isBuffer(a) || !Kernels.isBuffer(b) || (node.transA() && node.transB())) {
            return false;
        }
        double rowsA = rowsAt(a.shape(), maxBatch);
        double colsA = a.shape().last();
        double rowsB = rowsAt(b.shape(), maxBatch);
        double colsB = b.shape().last();
        double flops = node.transA() ? 2 * rowsA * colsA * colsB : 2 * rowsA * colsA * (node.transB() ? rowsB : colsB);
        boolean oneColumn = node.transA() ? colsB == 1 : false;
        boolean batchedRight = node.transB() && (b.shape().batched() || rowsB == 1);
        return flops >= PARALLEL_FLOPS && !oneColumn && !batchedRight;
    }

    /** A count that is a number or a batch's rows ({@code n}, {@code n * r}), at the largest batch. */
    private int atMaxBatch(String count) {
        return isInt(count) ? Integer.parseInt(count) : depthAtMaxBatch(count);
    }

    /** A depth expression ({@code n} or {@code n * r}, a batch's rows) at the largest batch. */
    private int depthAtMaxBatch(String depth) {
        if (depth.equals("n")) {
            return maxBatch;
        }
        if (depth.startsWith("n * ") && isInt(depth.substring(4))) {
            return maxBatch * Integer.parseInt(depth.substring(4));
        }
        return Integer.MAX_VALUE;
    }

    private static double rowsAt(Shape s, int maxBatch) {
        return (double) s.size() / s.last() * (s.batched() ? maxBatch : 1);
    }

    /**
     * The rows this code computes: all, or for a split product this thread's part of them, in
     * whole blocks of 4 but the last (variables {@code r0} and {@code r1}).
     */
    private String[] range(CodeBlock.Builder c, String rows) {
        if (!split) {
            return new String[] {"0", rows};
        }
        c.add("// rows r0 to r1: this thread's share, in whole blocks of 4 rows\n");
        c.addStatement("int r0 = part == 0 ? 0 : $L * part / parts & ~3", paren(rows));
        c.addStatement("int r1 = part == parts - 1 ? $L : $L * (part + 1) / parts & ~3", rows, paren(rows));
        return new String[] {"r0", "r1"};
    }

    /** A product in SIMD form, or null when this form does not apply (constant operands, both transposed). */
    CodeBlock matmul(Node node) {
        Node a = node.input(0);
        Node b = node.input(1);
        if (!Kernels.isBuffer(a) || !Kernels.isBuffer(b) || (node.transA() && node.transB())) {
            return null;
        }
        String out = buffers.get(node);
        String av = buffers.get(a);
        String bv = buffers.get(b);
        split = parallel(node);
        panelForm = true;
        byColumns = node.transA();
        String rowsA = rows(a.shape());
        int colsA = a.shape().last();
        String rowsB = rows(b.shape());
        int colsB = b.shape().last();
        CodeBlock.Builder c = CodeBlock.builder();
        if (!node.transA() && !node.transB()) {
            if (colsB == 1) {
                c.add("// $L[row] = A[row, :] . B[:, 0]: dot products, $L lanes of k at a time, 4 rows at once\n", out, "LANES");
                dots(c, out, rowsA, colsA, av, bv);
            } else {
                c.add("// $L[row, col] = sum over k of A[row, k] B[k, col]\n", out);
                product(c, out, rowsA, Integer.toString(colsA), colsB, av, (row, k) -> paren(row) + " * " + colsA + " + " + k,
                        bv, colsB);
            }
        } else if (node.transA()) {
            // C[i, j] = sum over k of A[k, i] B[k, j], k running over A's rows (the batch, for a weight gradient)
            if (colsB == 1) {
                // One column: the same sum with the operands' roles swapped, C^T = B^T A, whose layout is C's.
                c.add("// $L[col] = sum over k of B[k] A[k, col]: A's rows scaled and added, as a product of one row\n", out);
                product(c, out, "1", rowsA, colsA, bv, (row, k) -> k, av, colsA);
            } else {
                c.add("// $L[row, col] = sum over k of A[k, row] B[k, col], without transposing A\n", out);
                product(c, out, Integer.toString(colsA), rowsA, colsB, av, (row, k) -> k + " * " + colsA + " + " + paren(row),
                        bv, colsB);
            }
        } else {
            // C[i, j] = sum over k of A[i, k] B[j, k]: B is transposed once into a scratch array, then the first form.
            if (rowsB.equals("1") || b.shape().batched()) {
                return null; // a vector result or a batched right operand: the scalar form does as well
            }
            int cols = Integer.parseInt(rowsB);
            String source = colsA > 1 ? "transposed" : bv;
            if (colsA > 1 && !split) {
                c.add(transposition(node));
            }
            c.add("// $L[row, col] = sum over k of A[row, k] B[col, k]\n", out);
            product(c, out, rowsA, Integer.toString(colsA), cols, av, (row, k) -> paren(row) + " * " + colsA + " + " + k,
                    source, cols);
        }
        return c.build();
    }

    /** Elements of the {@code transposed} scratch array {@code node}'s SIMD code needs (0: none), as {@link #matmul} decides. */
    static long transposedElements(Node node) {
        if (node.op() != Op.MATMUL || !node.transB() || node.transA()) {
            return 0;
        }
        Node a = node.input(0);
        Node b = node.input(1);
        boolean oneRowB = b.shape().size() / b.shape().last() == 1;
        if (!Kernels.isBuffer(a) || !Kernels.isBuffer(b) || b.shape().batched() || oneRowB || a.shape().last() == 1) {
            return 0;
        }
        return b.shape().size();
    }

    /**
     * The product of an epilogue ({@link Fusion#epilogues}) written to its root's array, the bias
     * added and the activation applied to each block of results while it is in registers;
     * {@code scalarTail} is the activation of a scalar {@code acc}, for columns past the last vector.
     */
    CodeBlock matmulEpilogue(Fusion.Epilogue e, String scalarTail) {
        Node m = e.product();
        Node a = m.input(0);
        int colsA = a.shape().last();
        int colsB = m.shape().last();
        String out = buffers.get(e.root());
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// $L[row, col] = $L(sum over k of A[row, k] B[k, col] + $L[col]), stored block by block\n", out,
                e.activation() == null ? "" : e.activation().op().lower(), buffers.get(e.bias()));
        if (e.activation() != null && VectorKernels.usesZero(e.activation())) {
            c.addStatement("$T zero = $T.zero(SPECIES)", vector, vector);
        }
        split = false; // never split (Fusion.epilogues), whatever the last product was
        panelForm = true;
        byColumns = false;
        epilogue = e;
        epilogueScalar = scalarTail;
        product(c, out, rows(a.shape()), Integer.toString(colsA), colsB, buffers.get(a),
                (row, k) -> paren(row) + " * " + colsA + " + " + k, buffers.get(m.input(1)), colsB);
        epilogue = null;
        return c.build();
    }

    /**
     * A product for one sample of a convolution ({@link ConvolutionKernels}): {@code out[outBase + row
     * * cols + col]} is (or with {@code adds}, gets added) the sum over k of A(row, k) {@code b[bRow(k)
     * + col]}; {@code outBase} is an expression ending in " + ", or "".
     */
    CodeBlock convolutionProduct(String out, String outBase, int rows, int depth, int cols, String a,
            BinaryOperator<String> aIndex, String b, java.util.function.UnaryOperator<String> bRow, boolean adds) {
        CodeBlock.Builder c = CodeBlock.builder();
        split = false;
        panelForm = false;
        this.outBase = outBase;
        this.bRow = bRow;
        this.adds = adds;
        product(c, out, Integer.toString(rows), Integer.toString(depth), cols, a, aIndex, b, 0);
        this.outBase = "";
        this.bRow = null;
        this.adds = false;
        return c.build();
    }

    /** The index of row k of a product's right operand. */
    private String bAt(String k, int bStride) {
        return bRow != null ? bRow.apply(k) : k + " * " + bStride;
    }

    /** Stores accumulator {@code acc} at {@code index}, through the epilogue if there is one. */
    private void store(CodeBlock.Builder c, String acc, String out, String index, String col) {
        if (epilogue == null) {
            c.addStatement("$L.intoArray($L, $L)", acc, out, index);
            return;
        }
        c.addStatement("$L = $L.add($L)", acc, acc, load(buffers.get(epilogue.bias()), col));
        String value = epilogue.activation() == null ? acc : expression(epilogue.activation(), List.of(acc));
        c.addStatement("$L.intoArray($L, $L)", value, out, index);
    }

    /**
     * For {@code A B^T} with more than one term per element: B^T into the scratch array, so that
     * the product reads it as the first form does. Done once, before the parts of a split product.
     */
    CodeBlock transposition(Node node) {
        Node b = node.input(1);
        int cols = b.shape().size() / b.shape().last();
        int colsB = b.shape().last();
        CodeBlock.Builder c = CodeBlock.builder();
        if (!node.transB() || node.transA() || node.input(0).shape().last() == 1 || b.shape().batched()) {
            return c.build();
        }
        scratch = Math.max(scratch, b.shape().size());
        c.add("// B^T into the scratch array ($L x $L, small beside the product), then A B^T as A times it\n", colsB, cols);
        c.beginControlFlow("for (int col = 0; col < $L; col++)", cols);
        c.beginControlFlow("for (int k = 0; k < $L; k++)", colsB);
        c.addStatement("transposed[k * $L + col] = $L[col * $L + k]", cols, buffers.get(b), colsB);
        c.endControlFlow().endControlFlow();
        return c.build();
    }

    /**
     * {@code out[row, col] = sum_k A(row, k) B[k * bStride + col]} for {@code rows x cols}; {@code aIndex}
     * gives A(row, k)'s index for row and k expressions.
     */
    private void product(CodeBlock.Builder c, String out, String rows, String depth, int cols, String a,
            BinaryOperator<String> aIndex, String b, int bStride) {
        String[] range = range(c, rows);
        String from = range[0];
        String to = range[1];
        // A depth of at most one block (at the largest batch, for a depth that is the batch) needs no
        // blocking: each result is final when stored, and may be stored twice (the column tail below).
        boolean blocked = adds
                || (isInt(depth) ? Integer.parseInt(depth) > DEPTH_BLOCK : depthAtMaxBatch(depth) > DEPTH_BLOCK);
        // Panels: for a static number of rows decided here, else by the batch at run time.
        boolean panel = panelForm && bRow == null && panelPays(bStride, atMaxBatch(depth), atMaxBatch(rows));
        String k0 = "0";
        String k1 = depth;
        if (panel) {
            panelsUsed = true;
            panelsSplit |= split;
            c.addStatement("$L[] panel = panels[$L]", precision.type(), split ? "part" : "0");
        }
        // Equal steps: 784 as 4 x 196, not 3 x 256 and a step of 16 that reloads every block for little work.
        int step = isInt(depth) ? ceilDiv(Integer.parseInt(depth), ceilDiv(Integer.parseInt(depth), DEPTH_BLOCK)) : DEPTH_BLOCK;
        if (blocked) {
            c.add("// blocks of $L rows by 2 vectors in registers; the depth in steps of $L, added to the result\n",
                    blockRows(panel), step);
            if (!adds) {
                c.addStatement("$T.fill($L, $L, $L, $L)", Arrays.class, out, outAt(from.equals("0") ? "0" : from + " * " + cols),
                        outAt(paren(to) + " * " + cols), precision.literal(0));
            }
            c.beginControlFlow("for (int k0 = 0; k0 < $L; k0 += $L)", depth, step);
            c.addStatement("int k1 = Math.min($L, k0 + $L)", depth, step);
            k0 = "k0";
            k1 = "k1";
        } else {
            c.add("// blocks of $L rows by 2 vectors in registers\n", blockRows(panel));
        }
        c.addStatement("int col = 0");
        if (panel && byColumns) {
            wholePanels(c, out, from, to, cols, a, aIndex, b, bStride, k0, k1, step, blocked);
        } else {
            c.beginControlFlow("for (; col + 2 * LANES <= $L; col += 2 * LANES)", cols);
            if (panel) {
                slicePanel(c, out, rows, from, to, cols, a, aIndex, b, bStride, k0, k1, blocked);
            } else {
                rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, 4, 2, k0, k1, blocked);
            }
            c.endControlFlow();
        }
        if (cols > 2 && cols < 2 * MAX_LANES && bRow == null && !blocked) {
            // Between one vector of columns and two (10 classes on 8 lanes): two vectors, the second
            // ending at the last column and overlapping the first, whose sums it repeats bit for bit.
            // Blocks of 5 rows then keep 10 chains of fused multiply-adds in flight, where one vector
            // and its overlapping tail each kept 4 (Fashion-MNIST's last layer: 15 GFLOP/s). Not in
            // a convolution's per-sample products: in one of 9 positions C2 then ran boxed vectors.
            // Not where the depth is blocked either: there the last columns are scalar multiply-then-add
            // (below), and fused multiply-adds in their place changed cnn's results in the last bits.
            c.beginControlFlow("if (col == 0 && $L > LANES && $L < 2 * LANES)", cols, cols);
            secondVector = "(" + cols + " - LANES)";
            rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, COLUMN_BLOCK, 2, k0, k1, blocked);
            secondVector = "LANES";
            c.addStatement("col = $L", cols);
            c.endControlFlow();
        }
        c.beginControlFlow("for (; col + LANES <= $L; col += LANES)", cols);
        rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, 4, 1, k0, k1, blocked);
        c.endControlFlow();
        if (!blocked) {
            // The last columns as one more vector ending at the last column: it overlaps the previous
            // block, whose results it stores again, bit for bit the same, instead of scalar loops.
            c.beginControlFlow("if (col < $L && $L >= LANES)", cols, cols);
            c.addStatement("col = $L - LANES", cols);
            rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, 4, 1, k0, k1, false);
            c.addStatement("col = $L", cols);
            c.endControlFlow();
        }
        String t = precision.type();
        c.beginControlFlow("for (; col < $L; col++)", cols);
        c.beginControlFlow("for (int row = $L; row < $L; row++)", from, to);
        c.addStatement("$L acc = $L", t, blocked ? out + "[" + outAt("row * " + cols + " + col") + "]" : precision.literal(0));
        c.beginControlFlow("for (int k = $L; k < $L; k++)", k0, k1);
        c.addStatement("acc += $L[$L] * $L[$L + col]", a, aIndex.apply("row", "k"), b, bAt("k", bStride));
        c.endControlFlow();
        if (epilogue == null) {
            c.addStatement("$L[$L] = acc", out, outAt("row * " + cols + " + col"));
        } else {
            c.addStatement("acc += $L[col]", buffers.get(epilogue.bias()));
            c.addStatement("$L[row * $L + col] = $L", out, cols, epilogueScalar);
        }
        c.endControlFlow().endControlFlow();
        if (blocked) {
            c.endControlFlow();
        }
    }

    /** The rows of the product's blocks, for its comment. */
    private String blockRows(boolean panel) {
        return !panel ? "4" : "4 or " + (byColumns ? COLUMN_BLOCK : PANEL_BLOCK);
    }

    /**
     * One column block of 2 vectors when A is read by rows: B's slice copied into the panel, then
     * every block of {@value #PANEL_BLOCK} rows over it; a batch below {@value #PANEL_ROWS} rows
     * skips the copy at run time and reads B where it is.
     */
    private void slicePanel(CodeBlock.Builder c, String out, String rows, String from, String to, int cols, String a,
            BinaryOperator<String> aIndex, String b, int bStride, String k0, String k1, boolean blocked) {
        boolean always = isInt(rows) && !split;
        if (!always) {
            c.beginControlFlow("if ($L - $L >= $L)", to, from, PANEL_ROWS);
        }
        c.add("// this slice of B into the panel, its rows one after another: far apart in B they share L1 sets\n");
        copyIntoPanel(c, b, bStride, k0, k1, "");
        fromPanel = true;
        rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, PANEL_BLOCK, 2, k0, k1, blocked);
        fromPanel = false;
        if (!always) {
            c.nextControlFlow("else");
            rowBlocks(c, out, from, to, cols, a, aIndex, b, bStride, 4, 2, k0, k1, blocked);
            c.endControlFlow();
        }
    }

    /**
     * The columns of blocks of 2 vectors when A is read by columns ({@code X^T dY}): all of B's
     * slice copied into panels of 2 vectors first, then A's rows in chunks of {@value #CHUNK_ROWS},
     * every panel passing over a chunk before the next. A chunk's slice of A (a batch of
     * {@value #CHUNK_ROWS}-float pieces of rows) stays in L2; without chunks each panel read all of
     * A again from L3. Leaves {@code col} at the first column past the blocks.
     */
    private void wholePanels(CodeBlock.Builder c, String out, String from, String to, int cols, String a,
            BinaryOperator<String> aIndex, String b, int bStride, String k0, String k1, int step, boolean blocked) {
        wholePanel = Math.max(wholePanel, step * cols);
        c.add("// B's slice in panels of 2 vectors of columns, each panel's rows one after another (far apart in B\n");
        c.add("// they share L1 sets); then the rows in chunks of $L, each chunk's part of A staying in L2\n", CHUNK_ROWS);
        c.beginControlFlow("for (; col + 2 * LANES <= $L; col += 2 * LANES)", cols);
        copyIntoPanel(c, b, bStride, k0, k1, "col * " + step + " + ");
        c.endControlFlow();
        c.beginControlFlow("for (int chunk = $L; chunk < $L; chunk += $L)", from, to, CHUNK_ROWS);
        c.addStatement("int chunkEnd = Math.min($L, chunk + $L)", to, CHUNK_ROWS);
        c.beginControlFlow("for (col = 0; col + 2 * LANES <= $L; col += 2 * LANES)", cols);
        fromPanel = true;
        panelBase = "col * " + step + " + ";
        rowBlocks(c, out, "chunk", "chunkEnd", cols, a, aIndex, b, bStride, COLUMN_BLOCK, 2, k0, k1, blocked);
        panelBase = "";
        fromPanel = false;
        c.endControlFlow();
        c.endControlFlow();
    }

    /** Rows k0 to k1 of B's 2 vectors of columns at {@code col} into the panel from {@code base}. */
    private void copyIntoPanel(CodeBlock.Builder c, String b, int bStride, String k0, String k1, String base) {
        c.beginControlFlow("for (int k = $L; k < $L; k++)", k0, k1);
        for (int v = 0; v < 2; v++) {
            String lane = v == 0 ? "" : " + LANES";
            c.addStatement("$T.fromArray(SPECIES, $L, $L + col$L).intoArray(panel, $L$L$L)", vector, b, bAt("k", bStride), lane,
                    base, panelAt(k0), lane);
        }
        c.endControlFlow();
    }

    /**
     * Where row k of the depth step starting at {@code k0} starts in the panel. Where A is read by
     * rows, k is scaled by one constant, {@code (2 * LANES)}: C2 then drops the panel loads' range
     * checks, and {@code X W} ran 1.02-1.05x faster. Where A is read by columns the same code
     * spilled a sum to the stack (35 against 74 GFLOP/s), so that form keeps the checks.
     */
    private String panelAt(String k0) {
        return (k0.equals("0") ? "k" : "(k - " + k0 + ")") + (byColumns ? " * 2 * LANES" : " * (2 * LANES)");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * The rows of one column block of {@code vectors} vectors: {@code blockRows} rows at a time, then
     * 4 if the blocks are larger (256 rows are 42 blocks of 6 and one of 4: a single row has only 2
     * chains of fused multiply-adds, a quarter of the FMA units' throughput), then one.
     */
    private void rowBlocks(CodeBlock.Builder c, String out, String from, String to, int cols, String a,
            BinaryOperator<String> aIndex, String b, int bStride, int blockRows, int vectors, String k0, String k1,
            boolean accumulate) {
        c.addStatement("int row = $L", from);
        c.beginControlFlow("for (; row + $L < $L; row += $L)", blockRows - 1, to, blockRows);
        block(c, out, cols, a, aIndex, b, bStride, blockRows, vectors, k0, k1, accumulate);
        c.endControlFlow();
        if (blockRows > 4) {
            c.beginControlFlow("if (row + 3 < $L)", to);
            block(c, out, cols, a, aIndex, b, bStride, 4, vectors, k0, k1, accumulate);
            c.addStatement("row += 4");
            c.endControlFlow();
        }
        c.beginControlFlow("for (; row < $L; row++)", to);
        block(c, out, cols, a, aIndex, b, bStride, 1, vectors, k0, k1, accumulate);
        c.endControlFlow();
    }

    private void block(CodeBlock.Builder c, String out, int cols, String a, BinaryOperator<String> aIndex, String b,
            int bStride, int rowCount, int vectors, String k0, String k1, boolean accumulate) {
        for (int i = 0; i < rowCount; i++) {
            for (int v = 0; v < vectors; v++) {
                c.addStatement("$T c$L$L = $L", vector, i, v, accumulate
                        ? CodeBlock.of("$T.fromArray(SPECIES, $L, $L)", vector, out, outIndex(i, v, cols))
                        : CodeBlock.of("$T.zero(SPECIES)", vector));
            }
        }
        c.beginControlFlow("for (int k = $L; k < $L; k++)", k0, k1);
        for (int v = 0; v < vectors; v++) {
            String lane = v == 0 ? "" : " + " + secondVector;
            if (fromPanel) {
                c.addStatement("$T b$L = $T.fromArray(SPECIES, panel, $L$L$L)", vector, v, vector, panelBase, panelAt(k0), lane);
            } else {
                c.addStatement("$T b$L = $T.fromArray(SPECIES, $L, $L + col$L)", vector, v, vector, b, bAt("k", bStride), lane);
            }
        }
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("$T a$L = $T.broadcast(SPECIES, $L[$L])", vector, i, vector, a, aIndex.apply(row(i), "k"));
            for (int v = 0; v < vectors; v++) {
                c.addStatement("c$L$L = a$L.fma(b$L, c$L$L)", i, v, i, v, i, v);
            }
        }
        c.endControlFlow();
        for (int i = 0; i < rowCount; i++) {
            for (int v = 0; v < vectors; v++) {
                store(c, "c" + i + v, out, outIndex(i, v, cols), v == 0 ? "col" : "col + " + secondVector);
            }
        }
    }

    private static String row(int i) {
        return i == 0 ? "row" : "row + " + i;
    }

    private String outIndex(int i, int v, int cols) {
        return outBase + (i == 0 ? "row" : "(row + " + i + ")") + " * " + cols + " + col" + (v == 0 ? "" : " + " + secondVector);
    }

    /** An index into the result, past {@link #outBase}. */
    private String outAt(String index) {
        return outBase.isEmpty() ? index : outBase + index;
    }

    /** {@code out[row] = sum_k a[row * depth + k] b[k]}, four rows at a time sharing the loads of b. */
    private void dots(CodeBlock.Builder c, String out, String rows, int depth, String a, String b) {
        String t = precision.type();
        String[] range = range(c, rows);
        c.addStatement("int row = $L", range[0]);
        c.beginControlFlow("for (; row + 3 < $L; row += 4)", range[1]);
        dotRows(c, out, depth, a, b, 4, t);
        c.endControlFlow();
        c.beginControlFlow("for (; row < $L; row++)", range[1]);
        dotRows(c, out, depth, a, b, 1, t);
        c.endControlFlow();
    }

    private void dotRows(CodeBlock.Builder c, String out, int depth, String a, String b, int rowCount, String t) {
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("$T s$L = $T.zero(SPECIES)", vector, i, vector);
        }
        c.addStatement("int k = 0");
        c.beginControlFlow("for (; k + LANES <= $L; k += LANES)", depth);
        c.addStatement("$T b0 = $T.fromArray(SPECIES, $L, k)", vector, vector, b);
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("s$L = $T.fromArray(SPECIES, $L, ($L) * $L + k).fma(b0, s$L)", i, vector, a, row(i), depth, i);
        }
        c.endControlFlow();
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("$L a$L = s$L.reduceLanes($T.ADD)", t, i, i, OPERATORS);
        }
        c.beginControlFlow("for (; k < $L; k++)", depth);
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("a$L += $L[($L) * $L + k] * $L[k]", i, a, row(i), depth, b);
        }
        c.endControlFlow();
        for (int i = 0; i < rowCount; i++) {
            c.addStatement("$L[$L] = a$L", out, row(i), i);
        }
    }

    // ---- elementwise ---------------------------------------------------------------------------

    /**
     * The vector expression of an elementwise op over operand vector expressions, or null when the
     * op has no vector form here (it then runs in the scalar template). {@code v} names the first
     * operand when {@link #bindsFirst} says it is read twice.
     */
    String expression(Node node, List<String> x) {
        String a = x.get(0);
        boolean single = precision == Precision.FLOAT;
        return switch (node.op()) {
            case NEG -> a + ".neg()";
            case EXP -> single ? "VectorMath.exp(" + a + ")" : null;
            case SIGMOID -> single ? "VectorMath.sigmoid(" + a + ")" : null;
            case TANH -> single ? "VectorMath.tanh(" + a + ")" : null;
            // Compare and blend: NaN and -0 give 0 as the scalar form's v > 0 ? v : 0 does.
            case RELU -> "zero.blend(" + a + ", " + a + ".compare(VectorOperators.GT, " + precision.literal(0) + "))";
            case STEP -> "zero.blend(" + broadcast(precision.literal(1)) + ", " + a + ".compare(VectorOperators.GT, "
                    + precision.literal(0) + "))";
            case POW -> node.value() == 2 ? a + ".mul(" + a + ")"
                    : node.value() == 3 ? a + ".mul(" + a + ").mul(" + a + ")"
                    : node.value() == -1 ? broadcast(precision.literal(1)) + ".div(" + a + ")"
                    : node.value() == 0.5 ? a + ".sqrt()" : null;
            case ADD -> a + ".add(" + x.get(1) + ")";
            case SUB -> a + ".sub(" + x.get(1) + ")";
            case MUL -> a + ".mul(" + x.get(1) + ")";
            case DIV -> a + ".div(" + x.get(1) + ")";
            case EXPAND -> a;
            default -> null;
        };
    }

    /** Whether the vector expression reads its first operand twice, so that it is bound to {@code vx} first. */
    static boolean bindsFirst(Node node) {
        return node.op() == Op.RELU || node.op() == Op.STEP
                || (node.op() == Op.POW && (node.value() == 2 || node.value() == 3));
    }

    /** Whether the expression uses the zero vector {@code zero}. */
    static boolean usesZero(Node node) {
        return node.op() == Op.RELU || node.op() == Op.STEP;
    }

    /** A vector of a scalar expression's value in every lane. */
    String broadcast(String scalar) {
        return vector.simpleName() + ".broadcast(SPECIES, " + scalar + ")";
    }

    /** A vector loaded from {@code array} at {@code index}. */
    String load(String array, String index) {
        return vector.simpleName() + ".fromArray(SPECIES, " + array + ", " + index + ")";
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static boolean isInt(String s) {
        return s.chars().allMatch(Character::isDigit);
    }

    static String paren(String e) {
        return e.contains(" ") ? "(" + e + ")" : e;
    }

    private static String rows(Shape s) {
        int r = s.size() / s.last();
        return s.batched() ? (r == 1 ? "n" : "n * " + r) : Integer.toString(r);
    }
}
