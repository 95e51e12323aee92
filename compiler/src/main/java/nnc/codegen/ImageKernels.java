package nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.Arrays;
import java.util.Map;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * Code templates for images, [channels, height, width] per sample: the three convolutions, the
 * pools, gather and scatter, reshape and the running statistics. Every sum adds its terms in the
 * order the interpreter does ({@code nnc.interp.ImageKernels}), so float results agree to the bit;
 * loops are ordered so that the innermost one walks memory contiguously and has no dependence
 * from one iteration to the next, which the JIT turns into SIMD instructions.
 *
 * <p>Two forms of the convolutions exist: {@link Form#DIRECT} loops over the image in place, the
 * default of scalar code; {@link Form#IM2COL} computes them as matrix products, in scalar code by
 * copying each sample's windows into a matrix (one column per output position), in SIMD code with
 * {@link ConvolutionKernels}, the default there. Each default is the faster form on the course's
 * shapes ({@code bench/}: {@code ConvBench}); see docs/architecture.md.
 */
final class ImageKernels {
    /** How a convolution is computed. */
    enum Form {
        DIRECT,
        IM2COL
    }

    /** The form of scalar code unless the system property {@code nnc.convolution} (direct, im2col) says otherwise. */
    static final Form DEFAULT = Form.DIRECT;

    /** Locals the templates declare; never handed out as field names. */
    static final String[] LOCALS = locals();

    /** Taps of a kernel up to which the direct form keeps every weight of a filter in a local. */
    static final int MAX_TAPS = 25;

    private static String[] locals() {
        java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of("smp", "flt", "chn", "ky", "kx", "oy", "ox",
                "wv", "gv", "xo", "oo", "go", "ylo", "yhi", "xlo", "xhi", "arg", "pos", "decay", "rate", "cnt", "obase", "soff",
                "scratch", "scratch2"));
        for (int i = 0; i < MAX_TAPS; i++) {
            l.add("tap" + i);
            l.add("sum" + i);
        }
        return l.toArray(new String[0]);
    }

    /** A name for a helper method of the node being generated: {@code compute_} and the suffix. */
    String helperName(String suffix) {
        return namer.apply("compute_" + suffix);
    }

    void addHelper(MethodSpec m) {
        helpers.add(m);
    }

    /** The helper methods the templates made since the last call, which the class must have too. */
    java.util.List<MethodSpec> takeHelpers() {
        java.util.List<MethodSpec> l = java.util.List.copyOf(helpers);
        helpers.clear();
        return l;
    }

    /** A collision-free name for a field of the node being generated. */
    String fieldName(String name) {
        return namer.apply(name);
    }

    void addField(com.palantir.javapoet.FieldSpec f) {
        fields.add(f);
    }

    /** The constant tables the templates made since the last call, fields of the class. */
    java.util.List<com.palantir.javapoet.FieldSpec> takeFields() {
        java.util.List<com.palantir.javapoet.FieldSpec> l = java.util.List.copyOf(fields);
        fields.clear();
        return l;
    }

    /** The scratch arrays: padded inputs or the im2col matrix, and staged outputs. */
    static final String SCRATCH = "scratch";
    static final String SCRATCH2 = "scratch2";

    private final Precision precision;
    private final Map<Node, String> buffers;
    private final Form form;
    /** The SIMD convolutions as matrix products, or null for scalar code. */
    private final ConvolutionKernels products;
    /** Max-pooling in SIMD code, or null for scalar code. */
    private final VectorPools pools;

    ImageKernels(Precision precision, Map<Node, String> buffers) {
        this(precision, buffers, null, name -> name);
    }

    /** Allocates a collision-free name for a helper method; helpers made since the last {@link #takeHelpers}. */
    private final java.util.function.UnaryOperator<String> namer;
    private final java.util.List<MethodSpec> helpers = new java.util.ArrayList<>();
    private final java.util.List<com.palantir.javapoet.FieldSpec> fields = new java.util.ArrayList<>();

    /**
     * With {@code simd} (null for scalar code) the convolutions are SIMD code, matrix products by
     * default; helper methods are named by {@code namer}.
     */
    ImageKernels(Precision precision, Map<Node, String> buffers, VectorKernels simd, java.util.function.UnaryOperator<String> namer) {
        this.namer = namer;
        this.precision = precision;
        this.buffers = buffers;
        String p = System.getProperty("nnc.convolution");
        this.form = p != null ? Form.valueOf(p.toUpperCase(java.util.Locale.ROOT)) : simd != null ? Form.IM2COL : DEFAULT;
        this.products = simd == null || form != Form.IM2COL ? null : new ConvolutionKernels(this, simd, precision, buffers);
        this.pools = simd == null ? null : new VectorPools(this, simd, precision, buffers);
    }

    /** Whether {@code node} is a convolution computed as SIMD matrix products. */
    private boolean products(Node node) {
        return products != null && node.op().kind() == Op.Kind.CONV && ConvolutionKernels.applies(node);
    }

    /**
     * Elements of the two scratch arrays {@code node} needs, {0, 0} for none: the im2col matrix of
     * one sample; or for the padded direct form, one sample's padded input (or padded gradient) and
     * one staged output plane (or the gradient laid out on the padded rows).
     */
    int[] scratch(Node node) {
        if (node.op().kind() != Op.Kind.CONV) {
            return new int[] {0, 0};
        }
        if (products(node)) {
            return products.scratch(node);
        }
        Conv v = new Conv(node);
        if (form == Form.IM2COL && node.op() != Op.CONV2D_T) {
            return new int[] {v.channels * v.kh * v.kw * v.oh * v.ow, 0};
        }
        if (!v.padded()) {
            return new int[] {0, 0};
        }
        return switch (node.op()) {
            case CONV2D -> new int[] {v.channels * v.hp * v.wp, v.oh * v.wp};
            case CONV2D_T -> new int[] {v.filters * v.gradientLength(), v.hp * v.wp};
            default -> new int[] {v.channels * v.hp * v.wp, v.filters * v.oh * v.wp};
        };
    }

    /** The dimensions of a convolution node, whichever of the three it is. */
    static final class Conv {
        final int channels, height, width, filters, kh, kw, oh, ow, stride, pad, hp, wp;

        Conv(int channels, int height, int width, int filters, int kh, int kw, int oh, int ow, int stride, int pad) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.filters = filters;
            this.kh = kh;
            this.kw = kw;
            this.oh = oh;
            this.ow = ow;
            this.stride = stride;
            this.pad = pad;
            hp = height + 2 * pad;
            wp = width + 2 * pad;
        }

        Conv(Node node) {
            this(image(node).dim(0), image(node).dim(1), image(node).dim(2), filter(node).dim(0), filter(node).dim(2),
                    filter(node).dim(3), output(node).dim(1), output(node).dim(2), node.ints(0), node.ints(1));
        }

        /** The image a convolution node reads, or for the input gradient writes. */
        private static Shape image(Node node) {
            return node.op() == Op.CONV2D_T ? node.shape() : node.input(0).shape();
        }

        private static Shape filter(Node node) {
            return node.op() == Op.CONV2D_FILTER ? node.shape() : node.input(1).shape();
        }

        /** The convolution's output, or its gradient. */
        private static Shape output(Node node) {
            return switch (node.op()) {
                case CONV2D -> node.shape();
                case CONV2D_T -> node.input(0).shape();
                default -> node.input(1).shape();
            };
        }

        /**
         * Whether the padded form applies: stride 1 and few enough taps. The image is copied into a
         * zero border, and output positions are laid out on its rows (width wp, the last kw - 1 of
         * each row unused), so that every tap is one flat, contiguous loop over the whole plane.
         */
        boolean padded() {
            return stride == 1 && kh * kw <= MAX_TAPS;
        }

        /** Tap k's offset on the padded rows. */
        int offset(int k) {
            return (k / kw) * wp + k % kw;
        }

        int taps() {
            return kh * kw;
        }

        /** The largest tap offset: the margin around a gradient laid out on padded rows. */
        int margin() {
            return (kh - 1) * wp + kw - 1;
        }

        int gradientLength() {
            return oh * wp + 2 * margin();
        }
    }

    CodeBlock compute(Node node) {
        if (products(node)) {
            return products.compute(node);
        }
        return switch (node.op()) {
            case CONV2D -> form == Form.IM2COL ? conv2dIm2col(node) : new Conv(node).padded() ? conv2dPadded(node) : conv2d(node);
            case CONV2D_T -> new Conv(node).padded() ? conv2dTPadded(node) : conv2dT(node);
            case CONV2D_FILTER -> form == Form.IM2COL ? conv2dFilterIm2col(node)
                    : new Conv(node).padded() ? conv2dFilterPadded(node) : conv2dFilter(node);
            case MAXPOOL_INDEX -> pools != null && VectorPools.applies(node) ? pools.maxPoolIndex(node) : maxPoolIndex(node);
            case AVGPOOL -> avgPool(node);
            case AVGPOOL_T -> avgPoolT(node);
            case GATHER -> gather(node);
            case SCATTER -> scatter(node);
            case RESHAPE -> {
                CodeBlock.Builder c = CodeBlock.builder();
                copy(c, node.input(0), buffers.get(node), Kernels.size(node.shape()));
                yield c.build();
            }
            case RUNNING -> running(node);
            default -> throw new IllegalArgumentException(node.op() + " is not an image op");
        };
    }

    /** Element {@code index} of operand x: constants and the batch size are inlined, as in {@link Kernels}. */
    String read(Node x, String index) {
        if (x.op() == Op.CONST) {
            return precision.literal(x.value());
        }
        if (x.op() == Op.BATCH) {
            return "(" + precision.type() + ") n";
        }
        return buffers.get(x) + "[" + index + "]";
    }

    /** Copies {@code length} elements of x into {@code out}, or fills it with x's constant. */
    private void copy(CodeBlock.Builder c, Node x, String out, String length) {
        if (Kernels.isBuffer(x)) {
            c.addStatement("System.arraycopy($L, 0, $L, 0, $L)", buffers.get(x), out, length);
        } else {
            c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, length, read(x, "0"));
        }
    }

    // ---- convolutions --------------------------------------------------------------------------

    /** {@code for (int s = 0; s < samples; s++)}: n for batched tensors, one for unbatched ones. */
    static String samples(Shape s) {
        return s.batched() ? "n" : "1";
    }

    /**
     * Opens the loops over the output rows (oy) a kernel row ky reaches inside the image: lo..hi, so
     * no test for padding runs in the inner loop; likewise jlo..jhi for the columns.
     */
    static void validRanges(CodeBlock.Builder c, int stride, int pad, int height, int width, int oh, int ow) {
        c.addStatement("int ylo = Math.max(0, Math.floorDiv($L - ky + $L, $L))", pad, stride - 1, stride);
        c.addStatement("int yhi = Math.min($L, Math.floorDiv($L - ky, $L) + 1)", oh, height - 1 + pad, stride);
        c.addStatement("int xlo = Math.max(0, Math.floorDiv($L - kx + $L, $L))", pad, stride - 1, stride);
        c.addStatement("int xhi = Math.min($L, Math.floorDiv($L - kx, $L) + 1)", ow, width - 1 + pad, stride);
    }

    /** {@code x + k} written without {@code + 0}, and {@code x * 1} as {@code x}. */
    private static String times(String x, int k) {
        return k == 1 ? x : x + " * " + k;
    }

    private CodeBlock conv2d(Node node) {
        Shape xs = node.input(0).shape();
        Shape ws = node.input(1).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int filters = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// direct: each filter tap scales a shifted input row into an output row\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", filters);
        c.addStatement("int obase = (smp * $L + flt) * $L", filters, oh * ow);
        c.addStatement("$T.fill($L, obase, obase + $L, $L)", Arrays.class, out, oh * ow, precision.literal(0));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("$L wv = $L", precision.type(), read(node.input(1), "((flt * " + channels + " + chn) * " + kh + " + ky) * " + kw + " + kx"));
        validRanges(c, stride, pad, height, width, oh, ow);
        c.beginControlFlow("for (int oy = ylo; oy < yhi; oy++)");
        c.addStatement("int xo = ((smp * $L + chn) * $L + $L + ky - $L) * $L + kx - $L", channels, height,
                times("oy", stride), pad, width, pad);
        c.addStatement("int oo = obase + oy * $L", ow);
        c.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
        c.addStatement("$L[oo + ox] += wv * $L", out, read(node.input(0), "xo + " + times("ox", stride)));
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow()
                .endControlFlow();
        return c.build();
    }

    /**
     * Copies one sample's windows into {@code im2col} [C KH KW, OH OW] ({@code transposed}: [OH OW, C KH KW]),
     * zeros where a window hangs over the padding.
     */
    private void im2col(CodeBlock.Builder c, Node xNode, int kh, int kw, int oh, int ow, int stride, int pad,
            boolean transposed) {
        Shape xs = xNode.shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int depth = channels * kh * kw;
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("int pos = (chn * $L + ky) * $L + kx", kh, kw);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", oh);
        c.addStatement("int row = $L + ky - $L", times("oy", stride), pad);
        c.beginControlFlow("for (int ox = 0; ox < $L; ox++)", ow);
        c.addStatement("int col = $L + kx - $L", times("ox", stride), pad);
        String target = transposed ? "(oy * " + ow + " + ox) * " + depth + " + pos" : "pos * " + oh * ow + " + oy * " + ow + " + ox";
        c.addStatement("$L[$L] = row >= 0 && row < $L && col >= 0 && col < $L ? $L : $L", SCRATCH, target, height, width,
                read(xNode, "((smp * " + channels + " + chn) * " + height + " + row) * " + width + " + col"), precision.literal(0));
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow();
    }

    private CodeBlock conv2dIm2col(Node node) {
        Shape xs = node.input(0).shape();
        Shape ws = node.input(1).shape();
        int filters = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        int depth = xs.dim(0) * kh * kw;
        int oh = node.shape().dim(1), ow = node.shape().dim(2), positions = oh * ow;
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// im2col: each soff's windows as a matrix [$L, $L], then filters [$L, $L] times it\n", depth, positions,
                filters, depth);
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        im2col(c, node.input(0), kh, kw, oh, ow, node.ints(0), node.ints(1), false);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", filters);
        c.addStatement("int obase = (smp * $L + flt) * $L", filters, positions);
        c.addStatement("$T.fill($L, obase, obase + $L, $L)", Arrays.class, out, positions, precision.literal(0));
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", depth);
        c.addStatement("$L wv = $L", precision.type(), read(node.input(1), "flt * " + depth + " + pos"));
        c.addStatement("int xo = pos * $L", positions);
        c.beginControlFlow("for (int ox = 0; ox < $L; ox++)", positions);
        c.addStatement("$L[obase + ox] += wv * $L[xo + ox]", out, SCRATCH);
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock conv2dT(Node node) {
        Shape gs = node.input(0).shape();
        Shape ws = node.input(1).shape();
        int channels = node.shape().dim(0), height = node.shape().dim(1), width = node.shape().dim(2);
        int filters = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        int oh = gs.dim(1), ow = gs.dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each filter tap scatters a scaled gradient row back onto the input row it read\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, Kernels.size(node.shape()), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(gs));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", filters);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("$L wv = $L", precision.type(), read(node.input(1), "((flt * " + channels + " + chn) * " + kh + " + ky) * " + kw + " + kx"));
        validRanges(c, stride, pad, height, width, oh, ow);
        c.beginControlFlow("for (int oy = ylo; oy < yhi; oy++)");
        c.addStatement("int xo = ((smp * $L + chn) * $L + $L + ky - $L) * $L + kx - $L", channels, height,
                times("oy", stride), pad, width, pad);
        c.addStatement("int oo = ((smp * $L + flt) * $L + oy) * $L", filters, oh, ow);
        c.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
        c.addStatement("$L[xo + $L] += wv * $L", out, times("ox", stride), read(node.input(0), "oo + ox"));
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow()
                .endControlFlow();
        return c.build();
    }

    private CodeBlock conv2dFilter(Node node) {
        Shape xs = node.input(0).shape();
        Shape gs = node.input(1).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int filters = node.shape().dim(0), kh = node.shape().dim(2), kw = node.shape().dim(3);
        int oh = gs.dim(1), ow = gs.dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        String out = buffers.get(node);
        String t = precision.type();
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// direct: each filter tap is the dot product of the gradient with the input it read\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, node.shape().size(), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", filters);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("int pos = ((flt * $L + chn) * $L + ky) * $L + kx", channels, kh, kw);
        c.addStatement("$L acc = $L[pos]", t, out);
        validRanges(c, stride, pad, height, width, oh, ow);
        c.beginControlFlow("for (int oy = ylo; oy < yhi; oy++)");
        c.addStatement("int xo = ((smp * $L + chn) * $L + $L + ky - $L) * $L + kx - $L", channels, height,
                times("oy", stride), pad, width, pad);
        c.addStatement("int oo = ((smp * $L + flt) * $L + oy) * $L", filters, oh, ow);
        c.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
        c.addStatement("acc += $L * $L", read(node.input(0), "xo + " + times("ox", stride)), read(node.input(1), "oo + ox"));
        c.endControlFlow().endControlFlow();
        c.addStatement("$L[pos] = acc", out);
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock conv2dFilterIm2col(Node node) {
        Shape xs = node.input(0).shape();
        Shape gs = node.input(1).shape();
        int filters = node.shape().dim(0), kh = node.shape().dim(2), kw = node.shape().dim(3);
        int depth = xs.dim(0) * kh * kw;
        int oh = gs.dim(1), ow = gs.dim(2), positions = oh * ow;
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// im2col: each soff's windows as a matrix [$L, $L]; each gradient element scales its window\n",
                positions, depth);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, node.shape().size(), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        im2col(c, node.input(0), kh, kw, oh, ow, node.ints(0), node.ints(1), true);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", filters);
        c.addStatement("int oo = (smp * $L + flt) * $L", filters, positions);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", positions);
        c.addStatement("$L gv = $L", precision.type(), read(node.input(1), "oo + oy"));
        c.addStatement("int xo = oy * $L", depth);
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", depth);
        c.addStatement("$L[flt * $L + pos] += gv * $L[xo + pos]", out, depth, SCRATCH);
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    // ---- the padded direct form -----------------------------------------------------------------

    /** Copies sample smp of image {@code x} into {@code SCRATCH} with a zero border of the padding. */
    void padImage(CodeBlock.Builder c, Node x, Conv v) {
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, SCRATCH, v.channels * v.hp * v.wp, precision.literal(0));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.height);
        copyRow(c, x, "((smp * " + v.channels + " + chn) * " + v.height + " + oy) * " + v.width, SCRATCH,
                "chn * " + v.hp * v.wp + " + (oy + " + v.pad + ") * " + v.wp + " + " + v.pad, v.width);
        c.endControlFlow().endControlFlow();
    }

    /** Copies {@code length} elements of x from {@code from} into {@code to} at {@code at}; a constant fills. */
    void copyRow(CodeBlock.Builder c, Node x, String from, String to, String at, int length) {
        if (Kernels.isBuffer(x)) {
            c.addStatement("System.arraycopy($L, $L, $L, $L, $L)", buffers.get(x), from, to, at, length);
        } else {
            c.addStatement("$T.fill($L, $L, $L + $L, $L)", Arrays.class, to, at, at, length, read(x, "0"));
        }
    }

    /** {@code T tap0 = w[f, c, 0, 0]; ...}: one filter's weights for one channel, in locals. */
    private void loadTaps(CodeBlock.Builder c, Node w, Conv v, String filter, String channel) {
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("$L tap$L = $L", precision.type(), k, read(w, "((" + filter + " * " + v.channels + " + " + channel
                    + ") * " + v.kh + " + " + k / v.kw + ") * " + v.kw + " + " + k % v.kw));
        }
    }

    private CodeBlock conv2dPadded(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        String t = precision.type();
        int plane = v.oh * v.wp;
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// direct, on padded rows: each output row is $L wide, its last $L unused, so every tap is one\n", v.wp,
                v.kw - 1);
        c.add("// contiguous loop over the plane; the taps add in the order of channel, kernel row, kernel column\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(node.input(0).shape()));
        padImage(c, node.input(0), v);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, SCRATCH2, plane, precision.literal(0));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        loadTaps(c, node.input(1), v, "flt", "chn");
        c.addStatement("int xo = chn * $L", v.hp * v.wp);
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", plane - v.kw + 1);
        c.addStatement("$L acc = $L[pos]", t, SCRATCH2);
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("acc += tap$L * $L[xo + pos$L]", k, SCRATCH, plus(v.offset(k)));
        }
        c.addStatement("$L[pos] = acc", SCRATCH2);
        c.endControlFlow().endControlFlow();
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        c.addStatement("System.arraycopy($L, oy * $L, $L, ((smp * $L + flt) * $L + oy) * $L, $L)", SCRATCH2, v.wp, out,
                v.filters, v.oh, v.ow, v.ow);
        c.endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock conv2dTPadded(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        String t = precision.type();
        int margin = v.margin();
        int length = v.gradientLength();
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// direct, on padded rows: the gradient laid out on rows $L wide with a zero margin of $L, so each\n",
                v.wp, margin);
        c.add("// input position gathers every tap's contribution in one contiguous loop, in the order of filter,\n");
        c.add("// kernel row, kernel column\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(node.input(0).shape()));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, SCRATCH, v.filters * length, precision.literal(0));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        copyRow(c, node.input(0), "((smp * " + v.filters + " + flt) * " + v.oh + " + oy) * " + v.ow, SCRATCH,
                "flt * " + length + " + " + margin + " + oy * " + v.wp, v.ow);
        c.endControlFlow().endControlFlow();
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, SCRATCH2, v.hp * v.wp, precision.literal(0));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        loadTaps(c, node.input(1), v, "flt", "chn");
        c.addStatement("int go = flt * $L + $L", length, margin);
        c.beginControlFlow("for (int pos = $L; pos < $L; pos++)", v.pad * v.wp + v.pad, (v.pad + v.height - 1) * v.wp + v.pad + v.width);
        c.addStatement("$L acc = $L[pos]", t, SCRATCH2);
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("acc += tap$L * $L[go + pos$L]", k, SCRATCH, plus(-v.offset(k)));
        }
        c.addStatement("$L[pos] = acc", SCRATCH2);
        c.endControlFlow().endControlFlow();
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.height);
        c.addStatement("System.arraycopy($L, (oy + $L) * $L + $L, $L, ((smp * $L + chn) * $L + oy) * $L, $L)", SCRATCH2,
                v.pad, v.wp, v.pad, out, v.channels, v.height, v.width, v.width);
        c.endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock conv2dFilterPadded(Node node) {
        Conv v = new Conv(node);
        String out = buffers.get(node);
        String t = precision.type();
        int plane = v.oh * v.wp;
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// direct, on padded rows: each filter tap is the dot product of the gradient (laid out on rows $L\n", v.wp);
        c.add("// wide, zero in the unused columns) with the padded input it read; one sum per tap, in the order of\n");
        c.add("// sample, row, column, all taps of a filter and channel in one pass\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, node.shape().size(), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(node.input(0).shape()));
        padImage(c, node.input(0), v);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, SCRATCH2, v.filters * plane, precision.literal(0));
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        copyRow(c, node.input(1), "((smp * " + v.filters + " + flt) * " + v.oh + " + oy) * " + v.ow, SCRATCH2,
                "flt * " + plane + " + oy * " + v.wp, v.ow);
        c.endControlFlow().endControlFlow();
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.addStatement("int obase = (flt * $L + chn) * $L", v.channels, v.taps());
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("$L sum$L = $L[obase + $L]", t, k, out, k);
        }
        c.addStatement("int xo = chn * $L", v.hp * v.wp);
        c.addStatement("int go = flt * $L", plane);
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", plane - v.kw + 1);
        c.addStatement("$L gv = $L[go + pos]", t, SCRATCH2);
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("sum$L += $L[xo + pos$L] * gv", k, SCRATCH, plus(v.offset(k)));
        }
        c.endControlFlow();
        for (int k = 0; k < v.taps(); k++) {
            c.addStatement("$L[obase + $L] = sum$L", out, k, k);
        }
        c.endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    /** A helper method of one sample: {@code private void name(int smp)}. */
    static MethodSpec sampleMethod(String name, CodeBlock body) {
        return MethodSpec.methodBuilder(name).addModifiers(javax.lang.model.element.Modifier.PRIVATE)
                .addParameter(int.class, "smp").addCode(body).build();
    }

    /** {@code " + 5"}, {@code " - 5"}, or nothing for 0. */
    static String plus(int k) {
        return k == 0 ? "" : k > 0 ? " + " + k : " - " + -k;
    }

    // ---- pools ---------------------------------------------------------------------------------

    private CodeBlock maxPoolIndex(Node node) {
        Shape xs = node.input(0).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        int kh = node.ints(0), kw = node.ints(1), stride = node.ints(2), pad = node.ints(3);
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// the position in the sample of each window's first maximum\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        c.addStatement("int soff = smp * $L", channels * height * width);
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", oh);
        c.beginControlFlow("for (int ox = 0; ox < $L; ox++)", ow);
        c.addStatement("int arg = -1");
        c.addStatement("$L max = 0", precision.type());
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.addStatement("int row = $L + ky - $L", times("oy", stride), pad);
        c.beginControlFlow("if (row < 0 || row >= $L)", height).addStatement("continue").endControlFlow();
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("int col = $L + kx - $L", times("ox", stride), pad);
        c.beginControlFlow("if (col < 0 || col >= $L)", width).addStatement("continue").endControlFlow();
        c.addStatement("int pos = (chn * $L + row) * $L + col", height, width);
        c.addStatement("$L v = $L", precision.type(), read(node.input(0), "soff + pos"));
        c.beginControlFlow("if (arg < 0 || v > max)");
        c.addStatement("arg = pos");
        c.addStatement("max = v");
        c.endControlFlow().endControlFlow().endControlFlow();
        c.addStatement("$L[((smp * $L + chn) * $L + oy) * $L + ox] = arg", out, channels, oh, ow);
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock avgPool(Node node) {
        Shape xs = node.input(0).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        int kh = node.ints(0), kw = node.ints(1), stride = node.ints(2), pad = node.ints(3);
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each window's sum over its full size: padding counts as zeros\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(xs));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", oh);
        c.beginControlFlow("for (int ox = 0; ox < $L; ox++)", ow);
        c.addStatement("$L acc = 0", precision.type());
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.addStatement("int row = $L + ky - $L", times("oy", stride), pad);
        c.beginControlFlow("if (row < 0 || row >= $L)", height).addStatement("continue").endControlFlow();
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        c.addStatement("int col = $L + kx - $L", times("ox", stride), pad);
        c.beginControlFlow("if (col >= 0 && col < $L)", width);
        c.addStatement("acc += $L", read(node.input(0), "((smp * " + channels + " + chn) * " + height + " + row) * " + width + " + col"));
        c.endControlFlow().endControlFlow().endControlFlow();
        c.addStatement("$L[((smp * $L + chn) * $L + oy) * $L + ox] = acc / $L", out, channels, oh, ow, precision.literal(kh * kw));
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock avgPoolT(Node node) {
        Shape gs = node.input(0).shape();
        int channels = node.shape().dim(0), height = node.shape().dim(1), width = node.shape().dim(2);
        int oh = gs.dim(1), ow = gs.dim(2);
        int kh = node.ints(0), kw = node.ints(1), stride = node.ints(2), pad = node.ints(3);
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each window's gradient, spread evenly over it\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, Kernels.size(node.shape()), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(gs));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw);
        validRanges(c, stride, pad, height, width, oh, ow);
        c.beginControlFlow("for (int oy = ylo; oy < yhi; oy++)");
        c.addStatement("int xo = ((smp * $L + chn) * $L + $L + ky - $L) * $L + kx - $L", channels, height,
                times("oy", stride), pad, width, pad);
        c.addStatement("int oo = ((smp * $L + chn) * $L + oy) * $L", channels, oh, ow);
        c.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
        c.addStatement("$L[xo + $L] += $L / $L", out, times("ox", stride), read(node.input(0), "oo + ox"), precision.literal(kh * kw));
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        return c.build();
    }

    // ---- gather and scatter ----------------------------------------------------------------------

    private CodeBlock gather(Node node) {
        Shape is = node.input(1).shape();
        int count = is.size();
        int from = node.input(0).shape().size();
        CodeBlock.Builder c = CodeBlock.builder();
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(is));
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", count);
        c.addStatement("$L[smp * $L + pos] = $L", buffers.get(node), count,
                read(node.input(0), "smp * " + from + " + (int) " + read(node.input(1), "smp * " + count + " + pos")));
        c.endControlFlow().endControlFlow();
        return c.build();
    }

    private CodeBlock scatter(Node node) {
        Shape is = node.input(1).shape();
        int count = is.size();
        int to = node.shape().size();
        String out = buffers.get(node);
        CodeBlock.Builder c = CodeBlock.builder();
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, Kernels.size(node.shape()), precision.literal(0));
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", samples(is));
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", count);
        c.addStatement("$L[smp * $L + (int) $L] += $L", out, to, read(node.input(1), "smp * " + count + " + pos"),
                read(node.input(0), "smp * " + count + " + pos"));
        c.endControlFlow().endControlFlow();
        return c.build();
    }

    // ---- running statistics ----------------------------------------------------------------------

    private CodeBlock running(Node node) {
        String state = buffers.get(node.input(0)), out = buffers.get(node);
        int len = node.shape().size();
        double m = node.value();
        int count = node.ints(0);
        CodeBlock.Builder c = CodeBlock.builder();
        c.beginControlFlow("if (!training)");
        c.addStatement("System.arraycopy($L, 0, $L, 0, $L)", state, out, len);
        c.addStatement("return");
        c.endControlFlow();
        copy(c, node.input(1), out, Integer.toString(len));
        c.addStatement("$L decay = $L", precision.type(), precision.literal(1 - m));
        if (count > 0) {
            c.add("// a variance over cnt values: its unbiased estimate for the running statistic\n");
            c.addStatement("long cnt = (long) n * $L", count);
            c.addStatement("$L rate = $L", precision.type(),
                    precision.fromDouble("(cnt > 1 ? " + precision.doubleLiteral(m) + " * cnt / (cnt - 1.0) : "
                            + precision.doubleLiteral(m) + ")"));
        } else {
            c.addStatement("$L rate = $L", precision.type(), precision.literal(m));
        }
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", len);
        c.addStatement("$L[pos] = decay * $L[pos] + rate * $L", state, state, read(node.input(1), "pos"));
        c.endControlFlow();
        return c.build();
    }
}
