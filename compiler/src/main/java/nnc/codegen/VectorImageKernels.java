package nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.Arrays;
import java.util.Map;
import javax.lang.model.element.Modifier;
import nnc.codegen.ImageKernels.Conv;
import nnc.ir.Node;

/**
 * SIMD templates (Vector API) of the padded direct convolutions, in place of {@link ImageKernels}'
 * scalar loops on padded rows (stride 1, at most {@value ImageKernels#MAX_TAPS} taps).
 *
 * <p>{@code conv2d} and its input gradient {@code conv2d_t} are one template: blocks of
 * {@value #ROWS} output planes (filters, or channels for the gradient) by 2 vectors of positions on
 * the padded rows stay in 8 registers while every input plane and tap is added: a vector of the
 * padded input (shifted by the tap) times one broadcast weight. Each element sums its terms in the
 * scalar form's order with a separate multiply and add, so results are the scalar form's to the bit.
 * The position loop runs to the next whole 2 vectors past the plane's end: the extra positions are
 * unused columns, computed into a margin of {@value #SLACK} elements that the scratch arrays have
 * for it, and never copied out.
 *
 * <p>The filter gradient {@code conv2d_filter} keeps one vector of partial sums per tap (up to
 * {@value #MAX_SUMS} taps at once, else one kernel row at a time) over the positions of a plane,
 * the gradient vector loaded once for all taps; the lanes are added at the end of each sample and
 * the positions left over summed in scalar code. The terms of each weight's gradient are thus
 * added in another order than the interpreter's (by lane), within rounding.
 *
 * <p>Each block (and each filter-channel pair of the filter gradient) is a small method of its own,
 * called thousands of times a step: the JIT compiles it whole and keeps its vectors in registers.
 * Inside the node's method, which runs once a step, the JIT compiled the loops on the fly (OSR) and
 * allocated a box for every vector operation (hundreds of MB a step).
 */
final class VectorImageKernels {
    /** Output planes of a block of conv2d or conv2d_t: 4 by 2 vectors, 8 accumulators, as the products. */
    static final int ROWS = 4;

    /**
     * Elements past a plane that the scratch arrays keep for the position loop's last vectors: two
     * vectors of the widest species the Vector API has (2048 bits, 64 floats).
     */
    static final int SLACK = 128;

    /** Taps whose partial sums the filter gradient keeps in registers at once. */
    static final int MAX_SUMS = 9;

    /** Locals the templates declare, reserved by {@link ImageKernels#LOCALS}. */
    static final String[] LOCALS = locals();

    private static String[] locals() {
        java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of("xk", "wk", "tap", "gvec", "wb0", "wb1",
                "wb2", "wb3", "x0", "x1", "base"));
        for (int i = 0; i < ROWS; i++) {
            l.add("o" + i + "0");
            l.add("o" + i + "1");
        }
        for (int i = 0; i < ImageKernels.MAX_TAPS; i++) {
            l.add("part" + i);
        }
        return l.toArray(new String[0]);
    }

    private final ImageKernels scalar;
    private final Precision precision;
    private final Map<Node, String> buffers;
    private final ClassName vector;
    /** The buffer of the node being generated: its helper methods are named after it. */
    private String current;

    VectorImageKernels(ImageKernels scalar, Precision precision, Map<Node, String> buffers, ClassName vector) {
        this.scalar = scalar;
        this.precision = precision;
        this.buffers = buffers;
        this.vector = vector;
    }

    /** The two scratch arrays' sizes: as the scalar form's, with a slack after each plane a vector loop overruns. */
    int[] scratch(Node node, Conv v) {
        return switch (node.op()) {
            case CONV2D -> new int[] {v.channels * v.hp * v.wp + SLACK, v.filters * (v.oh * v.wp + SLACK)};
            case CONV2D_T -> new int[] {v.filters * v.gradientLength() + SLACK, v.channels * (v.hp * v.wp + SLACK)};
            default -> new int[] {v.channels * v.hp * v.wp, v.filters * v.oh * v.wp};
        };
    }

    /** Whether the filter gradient has a SIMD form: all taps, or one kernel row, fit the registers. */
    boolean hasFilterForm(Conv v) {
        return v.taps() <= MAX_SUMS || v.kw <= MAX_SUMS;
    }

    // ---- conv2d and conv2d_t ---------------------------------------------------------------------

    CodeBlock conv2d(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        current = out;
        int plane = v.oh * v.wp;
        int stride = plane + SLACK;
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// SIMD, on padded rows (each output row $L wide, its last $L unused): blocks of $L filters by 2\n",
                v.wp, v.kw - 1, ROWS);
        c.add("// vectors of positions accumulate every channel and tap in registers, in the order of channel,\n");
        c.add("// kernel row, kernel column; staged in $L, rows $L apart\n", ImageKernels.SCRATCH2, stride);
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", ImageKernels.samples(node.input(0).shape()));
        scalar.padImage(c, node.input(0), v);
        Taps taps = new Taps("flt", v.filters, "chn", v.channels, ImageKernels.SCRATCH, "chn * " + v.hp * v.wp, +1,
                v.channels * v.taps(), "(flt * " + v.channels + " + chn) * " + v.taps());
        blocks(c, node.input(1), v, taps, 0, plane - v.kw + 1, stride);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        c.addStatement("System.arraycopy($L, flt * $L + oy * $L, $L, ((smp * $L + flt) * $L + oy) * $L, $L)",
                ImageKernels.SCRATCH2, stride, v.wp, out, v.filters, v.oh, v.ow, v.ow);
        c.endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    CodeBlock conv2dT(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        current = out;
        int margin = v.margin();
        int length = v.gradientLength();
        int stride = v.hp * v.wp + SLACK;
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// SIMD, on padded rows: the gradient laid out on rows $L wide with a zero margin of $L; blocks of\n",
                v.wp, margin);
        c.add("// $L input channels by 2 vectors of positions gather every filter and tap in registers, in the\n", ROWS);
        c.add("// order of filter, kernel row, kernel column; staged in $L, rows $L apart\n", ImageKernels.SCRATCH2, stride);
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", ImageKernels.samples(node.input(0).shape()));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, v.filters * length, precision.literal(0));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        scalar.copyRow(c, node.input(0), "((smp * " + v.filters + " + flt) * " + v.oh + " + oy) * " + v.ow,
                ImageKernels.SCRATCH, "flt * " + length + " + " + margin + " + oy * " + v.wp, v.ow);
        c.endControlFlow().endControlFlow();
        Taps taps = new Taps("chn", v.channels, "flt", v.filters, ImageKernels.SCRATCH, "flt * " + length + " + " + margin, -1,
                v.taps(), "(flt * " + v.channels + " + chn) * " + v.taps());
        blocks(c, node.input(1), v, taps, v.pad * v.wp + v.pad, (v.pad + v.height - 1) * v.wp + v.pad + v.width, stride);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.height);
        c.addStatement("System.arraycopy($L, chn * $L + (oy + $L) * $L + $L, $L, ((smp * $L + chn) * $L + oy) * $L, $L)",
                ImageKernels.SCRATCH2, stride, v.pad, v.wp, v.pad, out, v.channels, v.height, v.width, v.width);
        c.endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    /**
     * What a block sums: output planes {@code row} (count {@code rows}) over input planes
     * {@code inner} (count {@code inners}), read from {@code source} at {@code sourceBase} plus
     * {@code sign} times each tap's offset; a weight's index is {@code weightBase + kernel row *
     * kw + kernel column}, and {@code rowStep} more for the next output plane.
     */
    private record Taps(String row, int rows, String inner, int inners, String source, String sourceBase, int sign,
            int rowStep, String weightBase) {}

    /**
     * Output positions lo to hi (rounded up to whole 2 vectors) of every output plane, in blocks of
     * {@link #ROWS} planes (then single ones), into {@code SCRATCH2} with planes {@code stride} apart.
     */
    private void blocks(CodeBlock.Builder c, Node w, Conv v, Taps t, int lo, int hi, int stride) {
        int whole = t.rows - t.rows % ROWS;
        if (whole > 0) {
            block(c, w, v, t, lo, hi, stride, ROWS, 0, whole);
        }
        if (whole < t.rows) {
            c.add("// the last $L $L, one at a time\n", t.rows - whole, t.row.equals("flt") ? "filters" : "channels");
            block(c, w, v, t, lo, hi, stride, 1, whole, t.rows);
        }
    }

    /**
     * One loop of blocks of {@code rows} planes, from plane {@code from} to {@code to}, each block a
     * call of a method of its own.
     */
    private void block(CodeBlock.Builder c, Node w, Conv v, Taps t, int lo, int hi, int stride, int rows, int from, int to) {
        String name = scalar.helperName(current + (rows == 1 ? "_plane" : "_block"));
        c.beginControlFlow("for (int $L = $L; $L < $L; $L += $L)", t.row, from, t.row, to, t.row, rows);
        c.beginControlFlow("for (int pos = $L; pos < $L; pos += 2 * LANES)", lo, hi);
        c.addStatement("$L($L, pos)", name, t.row);
        c.endControlFlow().endControlFlow();

        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// $L $L from $L by 2 vectors of positions from pos, in registers through every $L and tap\n",
                rows == 1 ? "one" : rows, t.row.equals("flt") ? (rows == 1 ? "filter" : "filters") : (rows == 1 ? "channel" : "channels"),
                t.row, t.inner.equals("chn") ? "input channel" : "filter");
        for (int i = 0; i < rows; i++) {
            m.addStatement("$T o$L0 = $T.zero(SPECIES), o$L1 = $T.zero(SPECIES)", vector, i, vector, i, vector);
        }
        // One tap a turn: the loop body stays small enough for the JIT to keep every vector in a register
        // (unrolled over kernel columns it boxed them); terms add in the order of the scalar form.
        m.beginControlFlow("for (int tap = 0; tap < $L; tap++)", t.inners * v.taps());
        m.addStatement("int $L = tap / $L, ky = tap % $L / $L, kx = tap % $L", t.inner, v.taps(), v.taps(), v.kw, v.kw);
        m.addStatement("int xk = $L + pos $L (ky * $L + kx)", t.sourceBase, t.sign > 0 ? "+" : "-", v.wp);
        m.addStatement("int wk = $L + ky * $L + kx", t.weightBase, v.kw);
        {
            m.addStatement("$T x0 = $T.fromArray(SPECIES, $L, xk)", vector, vector, t.source);
            m.addStatement("$T x1 = $T.fromArray(SPECIES, $L, xk + LANES)", vector, vector, t.source);
            for (int i = 0; i < rows; i++) {
                String weight = scalar.read(w, "wk" + ImageKernels.plus(i * t.rowStep));
                m.addStatement("$T wb$L = $T.broadcast(SPECIES, $L)", vector, i, vector, weight);
                m.addStatement("o$L0 = o$L0.add(wb$L.mul(x0))", i, i, i);
                m.addStatement("o$L1 = o$L1.add(wb$L.mul(x1))", i, i, i);
            }
        }
        m.endControlFlow();
        for (int i = 0; i < rows; i++) {
            String at = (i == 0 ? t.row : "(" + t.row + " + " + i + ")") + " * " + stride + " + pos";
            m.addStatement("o$L0.intoArray($L, $L)", i, ImageKernels.SCRATCH2, at);
            m.addStatement("o$L1.intoArray($L, $L + LANES)", i, ImageKernels.SCRATCH2, at);
        }
        scalar.addHelper(MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).addParameter(int.class, t.row)
                .addParameter(int.class, "pos").addCode(m.build()).build());
    }

    // ---- conv2d_filter ---------------------------------------------------------------------------

    CodeBlock conv2dFilter(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        current = out;
        String t = precision.type();
        int plane = v.oh * v.wp;
        int positions = plane - v.kw + 1;
        boolean all = v.taps() <= MAX_SUMS;
        int sums = all ? v.taps() : v.kw;
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// SIMD, on padded rows: each filter tap is the dot product of the gradient (laid out on rows $L\n", v.wp);
        c.add("// wide, zero in the unused columns) with the padded input it read; one vector of partial sums per\n");
        c.add("// tap$L, added up at the end of each sample\n", all ? "" : " of a kernel row");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, node.shape().size(), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", ImageKernels.samples(node.input(0).shape()));
        scalar.padImage(c, node.input(0), v);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH2, v.filters * plane, precision.literal(0));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        scalar.copyRow(c, node.input(1), "((smp * " + v.filters + " + flt) * " + v.oh + " + oy) * " + v.ow,
                ImageKernels.SCRATCH2, "flt * " + plane + " + oy * " + v.wp, v.ow);
        c.endControlFlow().endControlFlow();
        String name = scalar.helperName(current + "_taps");
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.addStatement("$L(flt, chn)", name);
        c.endControlFlow().endControlFlow().endControlFlow();

        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// this sample's terms of every tap of filter flt and channel chn, $L lanes of positions at a time\n", "LANES");
        m.addStatement("int obase = (flt * $L + chn) * $L", v.channels, v.taps());
        m.addStatement("int go = flt * $L", plane);
        if (all) {
            m.addStatement("int xo = chn * $L", v.hp * v.wp);
        } else {
            m.beginControlFlow("for (int ky = 0; ky < $L; ky++)", v.kh);
            m.addStatement("int xo = chn * $L + ky * $L", v.hp * v.wp, v.wp);
            m.addStatement("int base = obase + ky * $L", v.kw);
        }
        for (int k = 0; k < sums; k++) {
            m.addStatement("$T part$L = $T.zero(SPECIES)", vector, k, vector);
        }
        m.addStatement("int pos = 0");
        m.beginControlFlow("for (; pos + LANES <= $L; pos += LANES)", positions);
        m.addStatement("$T gvec = $T.fromArray(SPECIES, $L, go + pos)", vector, vector, ImageKernels.SCRATCH2);
        for (int k = 0; k < sums; k++) {
            m.addStatement("part$L = part$L.add($T.fromArray(SPECIES, $L, xo + pos$L).mul(gvec))", k, k, vector,
                    ImageKernels.SCRATCH, ImageKernels.plus(offset(v, k, all)));
        }
        m.endControlFlow();
        for (int k = 0; k < sums; k++) {
            m.addStatement("$L sum$L = part$L.reduceLanes($T.ADD)", t, k, k, VectorKernels.OPERATORS);
        }
        m.add("// the positions after the last whole vector\n");
        m.beginControlFlow("for (; pos < $L; pos++)", positions);
        m.addStatement("$L gv = $L[go + pos]", t, ImageKernels.SCRATCH2);
        for (int k = 0; k < sums; k++) {
            m.addStatement("sum$L += $L[xo + pos$L] * gv", k, ImageKernels.SCRATCH, ImageKernels.plus(offset(v, k, all)));
        }
        m.endControlFlow();
        for (int k = 0; k < sums; k++) {
            m.addStatement("$L[$L + $L] += sum$L", out, all ? "obase" : "base", k, k);
        }
        if (!all) {
            m.endControlFlow();
        }
        scalar.addHelper(MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).addParameter(int.class, "flt")
                .addParameter(int.class, "chn").addCode(m.build()).build());
        return c.build();
    }

    /** The offset of tap k on the padded rows, or of column k of a kernel row ({@code all} false). */
    private static int offset(Conv v, int k, boolean all) {
        return all ? v.offset(k) : k;
    }
}
