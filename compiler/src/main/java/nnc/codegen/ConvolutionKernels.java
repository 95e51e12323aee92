package nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import java.util.Arrays;
import java.util.Map;
import javax.lang.model.element.Modifier;
import nnc.codegen.ImageKernels.Conv;
import nnc.ir.Node;
import nnc.ir.Op;

/**
 * The three convolutions in SIMD code as matrix products, the default form of a SIMD class
 * ({@link ImageKernels.Form#IM2COL}): each sample's windows are copied into a matrix, one row per
 * filter tap (channel, kernel row, kernel column) and one column per output position (im2col), and
 * {@link VectorKernels}' register-blocked product does the arithmetic:
 *
 * <ul>
 *   <li>{@code conv2d}: out[filter, position] = W[filter, tap] windows[tap, position];
 *   <li>{@code conv2d_t}, the input gradient: dWindows[tap, position] = W[filter, tap] dY[filter,
 *       position] summed over filters (W read transposed), then each window's gradient added back
 *       onto the pixels it was copied from (col2im);
 *   <li>{@code conv2d_filter}: dW[filter, tap] += dY[filter, position] windows[position, tap] for
 *       every sample, the windows copied transposed and their rows padded with zeros to a multiple of
 *       {@value #ROW_ALIGN} taps, so that every column of the product is in a whole vector.
 * </ul>
 *
 * <p>Entries of the window matrix that fall on the zero padding are written once, before the first
 * sample, and never again. Each sample's copy and product are methods of their own, called once per
 * sample: the JIT compiles them whole (a loop in a method called once a step is compiled on the fly,
 * and such code has boxed its vectors). Products sum with fused multiply-adds, in another order than
 * the interpreter, so results agree to rounding, not to the bit.
 */
final class ConvolutionKernels {
    /** Rows of the transposed window matrix are padded to a multiple of this: the widest float vector (512 bits). */
    static final int ROW_ALIGN = 16;

    /** The name of the class's row copy ({@link #copyRow}), reserved in {@link JavaNames} with the {@link #LOCALS}. */
    static final String COPY_ROW = "copyRow";

    private final ImageKernels images;
    private final VectorKernels vectors;
    private final Precision precision;
    private final Map<Node, String> buffers;
    /** Whether the class has been given its {@link #COPY_ROW} method. */
    private boolean copyRowMade;

    ConvolutionKernels(ImageKernels images, VectorKernels vectors, Precision precision, Map<Node, String> buffers) {
        this.images = images;
        this.vectors = vectors;
        this.precision = precision;
        this.buffers = buffers;
    }

    /** Whether this form applies: the image, weights and gradient are arrays, not constants. */
    static boolean applies(Node node) {
        return node.inputs().stream().allMatch(Kernels::isBuffer);
    }

    /** Taps of a filter: the window matrix's rows, the product's depth. */
    private static int taps(Conv v) {
        return v.channels * v.kh * v.kw;
    }

    /** A transposed window matrix's row length: the taps rounded up to {@link #ROW_ALIGN}. */
    static int alignedTaps(Conv v) {
        return aligned(taps(v));
    }

    private static int aligned(int n) {
        return (n + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    }

    /** Elements of the two scratch arrays {@code node} needs. */
    int[] scratch(Node node) {
        Conv v = new Conv(node);
        if (onPaddedRows(node, v)) {
            return switch (node.op()) {
                case CONV2D -> new int[] {v.channels * v.hp * v.wp, v.filters * wide(v)};
                case CONV2D_T -> {
                    Conv t = transposed(v);
                    yield new int[] {t.channels * t.hp * t.wp + t.filters * taps(t), t.filters * wide(t)};
                }
                default -> byRows(v)
                        ? new int[] {v.channels * v.hp * v.wp + ROW_ALIGN + v.filters * taps(v) * ROW_ALIGN, v.filters * aligned(wide(v))}
                        : new int[] {v.channels * v.hp * v.wp + taps(v) * aligned(v.filters), wide(v) * aligned(v.filters)};
            };
        }
        int positions = v.oh * v.ow;
        if (node.op() != Op.CONV2D_FILTER) {
            return new int[] {taps(v) * positions, 0};
        }
        int aligned = alignedTaps(v);
        return new int[] {positions * aligned, aligned == taps(v) ? 0 : v.filters * aligned};
    }

    /** The statements computing convolution {@code node}: on padded rows where that applies, else by im2col. */
    CodeBlock compute(Node node) {
        Conv v = new Conv(node);
        boolean padded = onPaddedRows(node, v);
        return switch (node.op()) {
            case CONV2D -> padded ? paddedConv2d(node, v) : conv2d(node, v);
            case CONV2D_T -> padded ? paddedConv2dT(node, v) : conv2dT(node, v);
            default -> !padded ? conv2dFilter(node, v) : byRows(v) ? rowsConv2dFilter(node, v) : paddedConv2dFilter(node, v);
        };
    }

    private CodeBlock conv2d(Node node, Conv v) {
        String out = buffers.get(node);
        int taps = taps(v);
        int positions = v.oh * v.ow;
        String windows = images.helperName(out + "_windows");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// im2col: each sample's windows as a matrix [$L taps, $L positions], then filters [$L, $L] times it\n",
                taps, positions, v.filters, taps);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, taps * positions, precision.literal(0));
        perSample(c, node.input(0).shape(), windows, product);
        images.addHelper(windows(windows, node.input(0), v, false));
        CodeBlock body = CodeBlock.builder()
                .add("// $L[smp, filter, position] = sum over taps of weights[filter, tap] windows[tap, position]\n", out)
                .add(vectors.convolutionProduct(out, "smp * " + v.filters * positions + " + ", v.filters, taps, positions,
                        buffers.get(node.input(1)), (row, k) -> VectorKernels.paren(row) + " * " + taps + " + " + k,
                        ImageKernels.SCRATCH, k -> k + " * " + positions, false))
                .build();
        images.addHelper(ImageKernels.sampleMethod(product, body));
        return c.build();
    }

    private CodeBlock conv2dT(Node node, Conv v) {
        String out = buffers.get(node);
        int taps = taps(v);
        int positions = v.oh * v.ow;
        String product = images.helperName(out + "_product");
        String scatter = images.helperName(out + "_col2im");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// the windows' gradient [$L taps, $L positions] = weightsᵀ times the output's gradient, for each\n", taps,
                positions);
        c.add("// sample, then added back onto the pixels each window was copied from (col2im)\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, ImageKernels.samples(node.shape()) + " * "
                + node.shape().size(), precision.literal(0));
        perSample(c, node.shape(), product, scatter);
        CodeBlock body = CodeBlock.builder()
                .add("// windows' gradient[tap, position] = sum over filters of weights[filter, tap] $L[smp, filter, position]\n",
                        buffers.get(node.input(0)))
                .add(vectors.convolutionProduct(ImageKernels.SCRATCH, "", taps, v.filters, positions, buffers.get(node.input(1)),
                        (row, k) -> k + " * " + taps + " + " + VectorKernels.paren(row), buffers.get(node.input(0)),
                        k -> "smp * " + v.filters * positions + " + " + k + " * " + positions, false))
                .build();
        images.addHelper(ImageKernels.sampleMethod(product, body));

        CodeBlock.Builder s = CodeBlock.builder();
        s.add("// each window's gradient added onto the pixels of sample smp it was copied from\n");
        eachTap(s, v, (b, row) -> {
            b.addStatement("int oo = pos * $L + oy * $L", positions, v.ow);
            b.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
            b.addStatement("$L[$L + $L] += $L[oo + ox]", out, row, times("ox", v.stride), ImageKernels.SCRATCH);
            b.endControlFlow();
        });
        images.addHelper(ImageKernels.sampleMethod(scatter, s.build()));
        return c.build();
    }

    private CodeBlock conv2dFilter(Node node, Conv v) {
        String out = buffers.get(node);
        int taps = taps(v);
        int aligned = alignedTaps(v);
        int positions = v.oh * v.ow;
        String sums = aligned == taps ? out : ImageKernels.SCRATCH2;
        String windows = images.helperName(out + "_windows");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// im2col transposed: each sample's windows as a matrix [$L positions, $L taps$L], and the\n", positions,
                taps, aligned == taps ? "" : " and " + (aligned - taps) + " zeros");
        c.add("// output's gradient [$L filters, $L positions] times it, added up over the samples$L\n", v.filters, positions,
                aligned == taps ? "" : " in " + sums);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, positions * aligned, precision.literal(0));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, sums, v.filters * aligned, precision.literal(0));
        perSample(c, node.input(0).shape(), windows, product);
        if (aligned != taps) {
            c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
            c.addStatement("System.arraycopy($L, flt * $L, $L, flt * $L, $L)", sums, aligned, out, taps, taps);
            c.endControlFlow();
        }
        images.addHelper(windows(windows, node.input(0), v, true));
        String gradient = buffers.get(node.input(1));
        CodeBlock body = CodeBlock.builder()
                .add("// $L[filter, tap] += sum over positions of $L[smp, filter, position] windows[position, tap]\n", sums,
                        gradient)
                .add(vectors.convolutionProduct(sums, "", v.filters, positions, aligned, gradient,
                        (row, k) -> "smp * " + v.filters * positions + " + " + VectorKernels.paren(row) + " * " + positions
                                + " + " + k,
                        ImageKernels.SCRATCH, k -> k + " * " + aligned, true))
                .build();
        images.addHelper(ImageKernels.sampleMethod(product, body));
        return c.build();
    }

    // ---- stride 1: on padded rows ----------------------------------------------------------------

    /**
     * Whether the stride-1 form applies. Each sample is copied into a zero border of the padding, and
     * output positions are laid out on its rows ({@link #wide}), so that tap (channel, ky, kx) reads
     * one contiguous run of the padded image, starting at the tap's offset: the product's right
     * operand is the padded image itself, row k at the offset of tap k, and no windows are copied. The
     * input gradient is then the same product: a convolution of the output's gradient, padded by the
     * kernel's size less 1 less the padding, with the filters flipped and their channels swapped.
     */
    private static boolean onPaddedRows(Node node, Conv v) {
        return v.stride == 1 && (node.op() != Op.CONV2D_T || (v.kh == v.kw && v.pad < v.kh));
    }

    /** Positions laid out on padded rows: every output row wp wide, the last kw - 1 unused, but the last row's. */
    private static int wide(Conv v) {
        return (v.oh - 1) * v.wp + v.ow;
    }

    /** The input gradient of a stride-1 convolution as a convolution: of the gradient, into the input's shape. */
    private static Conv transposed(Conv v) {
        return new Conv(v.filters, v.oh, v.ow, v.channels, v.kh, v.kw, v.height, v.width, 1, v.kh - 1 - v.pad);
    }

    /** A table of each tap's offset on the padded image, a constant field named after {@code out}. */
    private String tapOffsets(String out, Conv v) {
        String name = images.fieldName(out + "_taps");
        CodeBlock.Builder values = CodeBlock.builder().add("{");
        for (int k = 0; k < taps(v); k++) {
            values.add(k == 0 ? "$L" : ", $L", v.offset(k % v.taps()) + k / v.taps() * v.hp * v.wp);
        }
        images.addField(FieldSpec.builder(int[].class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Where each tap (channel, kernel row, kernel column) of {@code $L} starts on the padded image.\n", out)
                .initializer(values.add("}").build()).build());
        return name;
    }

    private CodeBlock paddedConv2d(Node node, Conv v) {
        String out = buffers.get(node);
        int taps = taps(v);
        int wide = wide(v);
        String offsets = tapOffsets(out, v);
        String pad = images.helperName(out + "_pad");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each sample padded ($L x $L), then filters [$L, $L taps] times the padded image read at each tap's\n",
                v.hp, v.wp, v.filters, taps);
        c.add("// offset, $L positions on its rows; the border is zeroed once\n", wide);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, v.channels * v.hp * v.wp,
                precision.literal(0));
        perSample(c, node.input(0).shape(), pad, product);
        images.addHelper(pad(pad, buffers.get(node.input(0)), v));
        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// $L[filter, position] = sum over taps of weights[filter, tap] padded[$L[tap] + position]\n",
                ImageKernels.SCRATCH2, offsets);
        m.add(vectors.convolutionProduct(ImageKernels.SCRATCH2, "", v.filters, taps, wide, buffers.get(node.input(1)),
                (row, k) -> VectorKernels.paren(row) + " * " + taps + " + " + k, ImageKernels.SCRATCH,
                k -> offsets + "[" + k + "]", false));
        unpad(m, out, v.filters, v.oh, v.ow, v.wp, wide);
        images.addHelper(ImageKernels.sampleMethod(product, m.build()));
        return c.build();
    }

    private CodeBlock paddedConv2dT(Node node, Conv forward) {
        Conv v = transposed(forward);
        String out = buffers.get(node);
        String w = buffers.get(node.input(1));
        int taps = taps(v);
        int wide = wide(v);
        int weights = v.channels * v.hp * v.wp;
        String offsets = tapOffsets(out, v);
        String pad = images.helperName(out + "_pad");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// a convolution of the gradient, padded by $L, with the filters flipped and their channels swapped:\n",
                v.pad);
        c.add("// weights [$L, $L taps] (in $L from $L) times the padded gradient read at each tap's offset\n",
                v.filters, taps, ImageKernels.SCRATCH, weights);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, weights, precision.literal(0));
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.filters);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", v.kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", v.kw);
        c.addStatement("$L[$L + ((chn * $L + flt) * $L + ky) * $L + kx] = $L[((flt * $L + chn) * $L + $L - ky) * $L + $L - kx]",
                ImageKernels.SCRATCH, weights, v.channels, v.kh, v.kw, w, v.filters, v.kh, v.kh - 1, v.kw, v.kw - 1);
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
        perSample(c, node.shape(), pad, product);
        images.addHelper(pad(pad, buffers.get(node.input(0)), v));
        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// $L[channel, position] = sum over taps of flipped[channel, tap] padded[$L[tap] + position]\n",
                ImageKernels.SCRATCH2, offsets);
        m.add(vectors.convolutionProduct(ImageKernels.SCRATCH2, "", v.filters, taps, wide, ImageKernels.SCRATCH,
                (row, k) -> weights + " + " + VectorKernels.paren(row) + " * " + taps + " + " + k, ImageKernels.SCRATCH,
                k -> offsets + "[" + k + "]", false));
        unpad(m, out, v.filters, v.oh, v.ow, v.wp, wide);
        images.addHelper(ImageKernels.sampleMethod(product, m.build()));
        return c.build();
    }

    private CodeBlock paddedConv2dFilter(Node node, Conv v) {
        String out = buffers.get(node);
        String gradient = buffers.get(node.input(1));
        int taps = taps(v);
        int wide = wide(v);
        int filters = aligned(v.filters);
        int sums = v.channels * v.hp * v.wp;
        String offsets = tapOffsets(out, v);
        String pad = images.helperName(out + "_pad");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each sample padded, its gradient transposed onto the padded rows [$L positions, $L filters$L],\n", wide,
                v.filters, filters == v.filters ? "" : " and " + (filters - v.filters) + " zeros");
        c.add("// then the padded image read at each tap's offset times it, added up over the samples in the\n");
        c.add("// filter gradient transposed ($L from $L); zeros written once stay\n", ImageKernels.SCRATCH, sums);
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, sums + taps * filters,
                precision.literal(0));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH2, wide * filters, precision.literal(0));
        perSample(c, node.input(0).shape(), pad, product);
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        c.beginControlFlow("for (int pos = 0; pos < $L; pos++)", taps);
        c.addStatement("$L[flt * $L + pos] = $L[$L + pos * $L + flt]", out, taps, ImageKernels.SCRATCH, sums, filters);
        c.endControlFlow().endControlFlow();
        images.addHelper(pad(pad, buffers.get(node.input(0)), v));
        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// sample smp's gradient onto the padded rows, transposed\n");
        m.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        m.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        m.addStatement("int oo = ((smp * $L + flt) * $L + oy) * $L", v.filters, v.oh, v.ow);
        m.beginControlFlow("for (int ox = 0; ox < $L; ox++)", v.ow);
        m.addStatement("$L[(oy * $L + ox) * $L + flt] = $L[oo + ox]", ImageKernels.SCRATCH2, v.wp, filters, gradient);
        m.endControlFlow().endControlFlow().endControlFlow();
        m.add("// gradient[tap, filter] += sum over positions of padded[$L[tap] + position] gradient[position, filter]\n",
                offsets);
        m.add(vectors.convolutionProduct(ImageKernels.SCRATCH, sums + " + ", taps, wide, filters, ImageKernels.SCRATCH,
                (row, k) -> offsets + "[" + row + "] + " + k, ImageKernels.SCRATCH2, k -> k + " * " + filters, true));
        images.addHelper(ImageKernels.sampleMethod(product, m.build()));
        return c.build();
    }

    private CodeBlock rowsConv2dFilter(Node node, Conv v) {
        String out = buffers.get(node);
        String gradient = buffers.get(node.input(1));
        int taps = taps(v);
        int along = aligned(wide(v));
        int image = v.channels * v.hp * v.wp;
        int sums = image + ROW_ALIGN;
        String offsets = tapOffsets(out, v);
        String pad = images.helperName(out + "_pad");
        String product = images.helperName(out + "_product");
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// each sample padded, its gradient laid out on the same rows [$L filters, $L positions] (zeros\n",
                v.filters, along);
        c.add("// between its rows and after them), then for each filter and tap the dot product of the two along\n");
        c.add("// the rows in vectors of partial sums ($L from $L), added up across their lanes after each sample;\n",
                ImageKernels.SCRATCH, sums);
        c.add("// zeros written once stay\n");
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH, sums + v.filters * taps * ROW_ALIGN,
                precision.literal(0));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, ImageKernels.SCRATCH2, v.filters * along, precision.literal(0));
        c.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, v.filters * taps, precision.literal(0));
        perSample(c, node.input(0).shape(), pad, product);
        images.addHelper(pad(pad, buffers.get(node.input(0)), v));

        CodeBlock.Builder m = CodeBlock.builder();
        m.add("// sample smp's gradient onto the padded rows\n");
        m.beginControlFlow("for (int flt = 0; flt < $L; flt++)", v.filters);
        m.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.oh);
        m.addStatement("$L($L, ((smp * $L + flt) * $L + oy) * $L, $L, flt * $L + oy * $L, $L)", copyRow(), gradient,
                v.filters, v.oh, v.ow, ImageKernels.SCRATCH2, along, v.wp, v.ow);
        m.endControlFlow().endControlFlow();
        m.add("// sums[filter, tap] += gradient[filter, k] padded[$L[tap] + k], k along the padded rows, in blocks\n",
                offsets);
        m.add("// of $L filters by $L taps\n", FILTER_BLOCK, TAP_BLOCK);
        int fullFilters = v.filters / FILTER_BLOCK * FILTER_BLOCK;
        int fullTaps = taps / TAP_BLOCK * TAP_BLOCK;
        boolean chunked = along > VectorKernels.DEPTH_BLOCK;
        if (chunked) {
            m.add("// the rows in steps of $L, each step's part of the gradient and image staying in L1\n",
                    VectorKernels.DEPTH_BLOCK);
            m.beginControlFlow("for (int k0 = 0; k0 < $L; k0 += $L)", along, VectorKernels.DEPTH_BLOCK);
            m.addStatement("int k1 = Math.min($L, k0 + $L)", along, VectorKernels.DEPTH_BLOCK);
        }
        m.addStatement("int flt = 0");
        String to = chunked ? "k1" : Integer.toString(along);
        if (fullFilters > 0) {
            m.beginControlFlow("for (; flt < $L; flt += $L)", fullFilters, FILTER_BLOCK);
            tapBlocks(m, FILTER_BLOCK, fullTaps, taps, along, sums, offsets, to);
            m.endControlFlow();
        }
        if (fullFilters < v.filters) {
            m.beginControlFlow("for (; flt < $L; flt++)", v.filters);
            tapBlocks(m, 1, fullTaps, taps, along, sums, offsets, to);
            m.endControlFlow();
        }
        if (chunked) {
            m.endControlFlow();
        }
        // Once a sample rather than once a step: each lane then adds up one sample's terms and the
        // samples' totals are added in order. Lanes summed over the whole batch took cnn's trained
        // parameters past SamplesTest's 1e-5 of the interpreter after ten steps (c1.bias 1.09e-5).
        m.add("// the sample's sums, each across its lanes, added to the gradient; the partial sums zeroed\n");
        m.beginControlFlow("for (int pos = 0; pos < $L; pos++)", v.filters * taps);
        m.addStatement("$L[pos] += $T.fromArray(SPECIES, $L, $L + pos * LANES).reduceLanes($T.ADD)", out,
                vectors.vectorType(), ImageKernels.SCRATCH, sums, VectorKernels.OPERATORS);
        m.addStatement("$T.zero(SPECIES).intoArray($L, $L + pos * LANES)", vectors.vectorType(), ImageKernels.SCRATCH, sums);
        m.endControlFlow();
        images.addHelper(ImageKernels.sampleMethod(product, m.build()));
        return c.build();
    }

    /**
     * The padded rows' length from which the filter gradient is computed as dot products along them
     * ({@link #rowsConv2dFilter}) rather than with the gradient transposed ({@link #paddedConv2dFilter}).
     * Each block of dot products loads and stores its partial sums once a sample, which long rows
     * repay: fashion_cnn's first filter gradient (rows of 848) took 0.46-0.48 ms instead of 0.94-1.05,
     * its second (rows of 224, 288 blocks a sample) 1.5-1.9 ms instead of 0.96-1.2, and cnn's second
     * (rows of 288) 2.0-2.3 instead of 1.3-1.5 ({@code MethodTimes}, in turns).
     */
    static final int ROWS_FROM = 512;

    private static boolean byRows(Conv v) {
        return aligned(wide(v)) >= ROWS_FROM;
    }

    /** Filters of a block of the filter gradient's dot products. */
    static final int FILTER_BLOCK = 4;

    /**
     * Taps of a block of the filter gradient's dot products. On cnn's first filter gradient alone
     * ({@code KernelBench}), 4 x 2 blocks (8 sums, 6 loads for 8 multiply-adds) ran at 45 GFLOP/s
     * and 4 x 3 (12 sums, which with their operands fill all 16 AVX2 registers) at 36.
     */
    static final int TAP_BLOCK = 2;

    /** Locals of the filter gradient's blocks, reserved in {@link JavaNames}; the others are {@link VectorKernels}'. */
    static final String[] LOCALS = {"b2", "c02", "c12", "c22", "c32", "t0", "t1", "t2", COPY_ROW, "from", "at", "to",
        "into", "length"};

    /** The blocks of one row of {@code filters} filters: whole blocks of taps, then single taps. */
    private void tapBlocks(CodeBlock.Builder m, int filters, int fullTaps, int taps, int along, int sums, String offsets,
            String to) {
        m.addStatement("int pos = 0");
        if (fullTaps > 0) {
            m.beginControlFlow("for (; pos < $L; pos += $L)", fullTaps, TAP_BLOCK);
            dotBlock(m, filters, TAP_BLOCK, taps, along, sums, offsets, to);
            m.endControlFlow();
        }
        if (fullTaps < taps) {
            m.beginControlFlow("for (; pos < $L; pos++)", taps);
            dotBlock(m, filters, 1, taps, along, sums, offsets, to);
            m.endControlFlow();
        }
    }

    /** One block: filters flt.. by taps pos.., their partial sums loaded, added to along the rows, stored. */
    private void dotBlock(CodeBlock.Builder m, int filters, int tapCount, int taps, int along, int sums, String offsets,
            String to) {
        ClassName vec = vectors.vectorType();
        for (int j = 0; j < tapCount; j++) {
            m.addStatement("int t$L = $L[pos$L]", j, offsets, ImageKernels.plus(j));
        }
        for (int i = 0; i < filters; i++) {
            for (int j = 0; j < tapCount; j++) {
                m.addStatement("$T c$L$L = $T.fromArray(SPECIES, $L, $L)", vec, i, j, vec, ImageKernels.SCRATCH,
                        sumAt(i, j, taps, sums));
            }
        }
        m.beginControlFlow("for (int k = $L; k < $L; k += LANES)", to.equals("k1") ? "k0" : "0", to);
        for (int j = 0; j < tapCount; j++) {
            m.addStatement("$T b$L = $T.fromArray(SPECIES, $L, t$L + k)", vec, j, vec, ImageKernels.SCRATCH, j);
        }
        for (int i = 0; i < filters; i++) {
            m.addStatement("$T a$L = $T.fromArray(SPECIES, $L, $L * $L + k)", vec, i, vec, ImageKernels.SCRATCH2,
                    i == 0 ? "flt" : "(flt + " + i + ")", along);
            for (int j = 0; j < tapCount; j++) {
                m.addStatement("c$L$L = a$L.fma(b$L, c$L$L)", i, j, i, j, i, j);
            }
        }
        m.endControlFlow();
        for (int i = 0; i < filters; i++) {
            for (int j = 0; j < tapCount; j++) {
                m.addStatement("c$L$L.intoArray($L, $L)", i, j, ImageKernels.SCRATCH, sumAt(i, j, taps, sums));
            }
        }
    }

    /** Where the partial sums of filter flt + i and tap pos + j start. */
    private static String sumAt(int i, int j, int taps, int sums) {
        String flt = i == 0 ? "flt" : "(flt + " + i + ")";
        return sums + " + (" + flt + " * " + taps + " + pos" + ImageKernels.plus(j) + ") * LANES";
    }

    /** The method copying sample smp of {@code image} into the interior of the padded image in {@code SCRATCH}. */
    private MethodSpec pad(String name, String image, Conv v) {
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// sample smp inside the zero border\n");
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", v.height);
        c.addStatement("$L($L, ((smp * $L + chn) * $L + oy) * $L, $L, (chn * $L + oy + $L) * $L + $L, $L)", copyRow(), image,
                v.channels, v.height, v.width, ImageKernels.SCRATCH, v.hp, v.pad, v.wp, v.pad, v.width);
        c.endControlFlow().endControlFlow();
        return ImageKernels.sampleMethod(name, c.build());
    }

    /**
     * The name of the class's method copying a short row, which it gets with the first use: whole
     * vectors, the last one ending at the row's end (overlapping the one before), for rows narrower
     * than a vector {@code System.arraycopy}. The convolutions copy every image row into and out of
     * the padded rows once a sample, and for rows of 14 floats {@code System.arraycopy}'s call cost
     * 5.9 ns a row against 1.8 ns in vectors ({@code KernelBench}).
     */
    private String copyRow() {
        if (!copyRowMade) {
            copyRowMade = true;
            String t = precision.type();
            ClassName vec = vectors.vectorType();
            images.addHelper(MethodSpec.methodBuilder(COPY_ROW).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("Copies a row of {@code length} elements, shorter than {@code System.arraycopy}'s call pays for.\n")
                    .addParameter(com.palantir.javapoet.ArrayTypeName.of(precision == Precision.FLOAT ? float.class : double.class), "from")
                    .addParameter(int.class, "at")
                    .addParameter(com.palantir.javapoet.ArrayTypeName.of(precision == Precision.FLOAT ? float.class : double.class), "to")
                    .addParameter(int.class, "into")
                    .addParameter(int.class, "length")
                    .beginControlFlow("if (length < LANES)")
                    .addStatement("System.arraycopy(from, at, to, into, length)")
                    .addStatement("return")
                    .endControlFlow()
                    .beginControlFlow("for (int k = 0; k < length - LANES; k += LANES)")
                    .addStatement("$T.fromArray(SPECIES, from, at + k).intoArray(to, into + k)", vec)
                    .endControlFlow()
                    .addStatement("$T.fromArray(SPECIES, from, at + length - LANES).intoArray(to, into + length - LANES)", vec)
                    .build());
        }
        return COPY_ROW;
    }

    /** Copies the results of sample smp off the padded rows of {@code SCRATCH2} into {@code out}. */
    private void unpad(CodeBlock.Builder c, String out, int planes, int oh, int ow, int wp, int wide) {
        c.add("// the results off the padded rows\n");
        c.beginControlFlow("for (int flt = 0; flt < $L; flt++)", planes);
        c.beginControlFlow("for (int oy = 0; oy < $L; oy++)", oh);
        c.addStatement("$L($L, flt * $L + oy * $L, $L, ((smp * $L + flt) * $L + oy) * $L, $L)", copyRow(),
                ImageKernels.SCRATCH2, wide, wp, out, planes, oh, ow, ow);
        c.endControlFlow().endControlFlow();
    }

    /**
     * The method copying sample smp's windows of image {@code x} into {@code SCRATCH}: [taps,
     * positions], or {@code transposed} [positions, aligned taps]. Pixels over the padding are skipped:
     * their entries stay the zeros written before the first sample.
     */
    private MethodSpec windows(String name, Node x, Conv v, boolean transposed) {
        int positions = v.oh * v.ow;
        int aligned = alignedTaps(v);
        String image = buffers.get(x);
        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// the windows of sample smp as a matrix $L; entries over the padding stay 0\n",
                transposed ? "[position, tap]" : "[tap, position]");
        eachTap(c, v, (b, row) -> {
            if (transposed) {
                b.addStatement("int oo = oy * $L + pos", v.ow * aligned);
                b.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
                b.addStatement("$L[oo + ox * $L] = $L[$L + $L]", ImageKernels.SCRATCH, aligned, image, row, times("ox", v.stride));
                b.endControlFlow();
            } else if (v.stride == 1) {
                b.addStatement("System.arraycopy($L, $L + xlo, $L, pos * $L + oy * $L + xlo, xhi - xlo)", image, row,
                        ImageKernels.SCRATCH, positions, v.ow);
            } else {
                b.addStatement("int oo = pos * $L + oy * $L", positions, v.ow);
                b.beginControlFlow("for (int ox = xlo; ox < xhi; ox++)");
                b.addStatement("$L[oo + ox] = $L[$L + ox * $L]", ImageKernels.SCRATCH, image, row, v.stride);
                b.endControlFlow();
            }
        });
        return ImageKernels.sampleMethod(name, c.build());
    }

    /**
     * The loops over every tap {@code pos} (channel, kernel row ky, kernel column kx) and the output
     * rows oy it reaches inside the image, columns xlo to xhi; {@code body} gets the index of the
     * image row's pixel at ox = 0 ({@code xo}) for sample smp.
     */
    private static void eachTap(CodeBlock.Builder c, Conv v, java.util.function.BiConsumer<CodeBlock.Builder, String> body) {
        c.beginControlFlow("for (int chn = 0; chn < $L; chn++)", v.channels);
        c.beginControlFlow("for (int ky = 0; ky < $L; ky++)", v.kh);
        c.beginControlFlow("for (int kx = 0; kx < $L; kx++)", v.kw);
        c.addStatement("int pos = (chn * $L + ky) * $L + kx", v.kh, v.kw);
        ImageKernels.validRanges(c, v.stride, v.pad, v.height, v.width, v.oh, v.ow);
        c.beginControlFlow("for (int oy = ylo; oy < yhi; oy++)");
        c.addStatement("int xo = ((smp * $L + chn) * $L + $L + ky - $L) * $L + kx - $L", v.channels, v.height,
                times("oy", v.stride), v.pad, v.width, v.pad);
        body.accept(c, "xo");
        c.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
    }

    /** The loop over the samples of a tensor of {@code shape}, calling each sample's methods in order. */
    private static void perSample(CodeBlock.Builder c, nnc.ir.Shape shape, String... methods) {
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", ImageKernels.samples(shape));
        for (String m : methods) {
            c.addStatement("$L(smp)", m);
        }
        c.endControlFlow();
    }

    private static String times(String x, int k) {
        return k == 1 ? x : x + " * " + k;
    }
}
