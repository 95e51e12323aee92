package nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.Map;
import javax.lang.model.element.Modifier;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * Max-pooling's index in SIMD code, for the pool every course model uses: 2 x 2 windows, stride 2,
 * no padding. The scalar template compares each window's four pixels with branches the data decides,
 * which mispredict about once a window (ReLU's ties and noise); here a vector of windows is done at a
 * time. Their two rows are loaded as 4 vectors, taken apart into even and odd columns (the
 * upper-left, upper-right, lower-left and lower-right pixel of each window), and compared in the
 * scalar template's order with the same strict {@code >}, so the index is the same first maximum.
 *
 * <p>A row of windows is done in whole vectors; a row narrower than a vector is done with one vector
 * whose last lanes run into the next rows (those outputs are written again when their row comes),
 * except where that would write past the sample's outputs, which the scalar comparisons do. The reads
 * then stay in the sample too: m rows of windows left read from 2m rows of pixels at least twice as
 * wide, and (2m - 1) W >= 2 LANES follows from m OW >= LANES with W >= 2 OW.
 */
final class VectorPools {
    /** Locals of the template, reserved in {@link JavaNames}. */
    static final String[] LOCALS = {"upper0", "upper1", "lower0", "lower1", "ul", "ur", "ll", "lr", "best", "at", "to", "gt",
        "corner", "prow", "orow"};

    private static final ClassName SHUFFLE = ClassName.get("jdk.incubator.vector", "VectorShuffle");
    private static final ClassName MASK = ClassName.get("jdk.incubator.vector", "VectorMask");

    private final ImageKernels images;
    private final Precision precision;
    private final Map<Node, String> buffers;
    private final ClassName vector;
    /** The constant shuffles and mask, made with the first pool: {even, odd, upper half}. */
    private String[] constants;

    VectorPools(ImageKernels images, VectorKernels vectors, Precision precision, Map<Node, String> buffers) {
        this.images = images;
        this.precision = precision;
        this.buffers = buffers;
        this.vector = vectors.vectorType();
    }

    /** Whether {@code node} is a max-pool index this class generates: 2 x 2 windows, stride 2, no padding. */
    static boolean applies(Node node) {
        return node.op() == Op.MAXPOOL_INDEX && node.ints(0) == 2 && node.ints(1) == 2 && node.ints(2) == 2
                && node.ints(3) == 0 && node.input(0).op() != Op.CONST && node.input(0).op() != Op.BATCH;
    }

    CodeBlock maxPoolIndex(Node node) {
        Shape xs = node.input(0).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        String x = buffers.get(node.input(0));
        String out = buffers.get(node);
        int sampleIn = channels * height * width;
        int sampleOut = channels * oh * ow;
        String windows = images.helperName(out + "_windows");
        String lanes = images.helperName(out + "_lanes");

        CodeBlock.Builder s = CodeBlock.builder();
        s.add("// sample smp's windows, a vector of them at a time\n");
        s.addStatement("int soff = smp * $L", sampleIn);
        s.addStatement("int obase = smp * $L", sampleOut);
        s.beginControlFlow("for (int chn = 0; chn < $L; chn++)", channels);
        s.beginControlFlow("for (int oy = 0; oy < $L; oy++)", oh);
        s.addStatement("int prow = (chn * $L + oy * 2) * $L", height, width);
        s.addStatement("int orow = obase + (chn * $L + oy) * $L", oh, ow);
        s.addStatement("int ox = 0");
        s.beginControlFlow("for (; ox + LANES <= $L; ox += LANES)", ow);
        s.addStatement("$L(soff, prow + ox * 2, orow + ox)", lanes);
        s.endControlFlow();
        s.beginControlFlow("if (ox < $L && $L >= LANES)", ow, ow);
        s.add("// the last windows of the row again, overlapping\n");
        s.addStatement("$L(soff, prow + $L, orow + $L - LANES)", lanes, 2 * ow + " - 2 * LANES", ow);
        s.nextControlFlow("else if (ox < $L && orow + LANES <= obase + $L)", ow, sampleOut);
        s.add("// a row narrower than a vector: the last lanes run into the next rows, written again later (their\n");
        s.add("// input rows, twice as many and as wide, hold the lanes' reads)\n");
        s.addStatement("$L(soff, prow, orow)", lanes);
        s.nextControlFlow("else");
        s.beginControlFlow("for (; ox < $L; ox++)", ow);
        s.addStatement("int pos = prow + ox * 2");
        s.addStatement("int arg = pos");
        s.addStatement("$L best = $L[soff + pos]", precision.type(), x);
        for (int offset : new int[] {1, width, width + 1}) {
            s.beginControlFlow("if ($L[soff + pos + $L] > best)", x, offset);
            s.addStatement("arg = pos + $L", offset);
            s.addStatement("best = $L[soff + pos + $L]", x, offset);
            s.endControlFlow();
        }
        s.addStatement("$L[orow + ox] = arg", out);
        s.endControlFlow();
        s.endControlFlow();
        s.endControlFlow().endControlFlow();
        images.addHelper(ImageKernels.sampleMethod(windows, s.build()));
        images.addHelper(MethodSpec.methodBuilder(lanes).addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "soff").addParameter(int.class, "pos").addParameter(int.class, "to")
                .addJavadoc("A vector of windows: the first's upper-left pixel at {@code pos} of the sample at {@code soff}\n"
                        + "of {@code $L}, their index to {@code to} of {@code $L}.\n", x, out)
                .addCode(lanes(x, out, width)).build());

        CodeBlock.Builder c = CodeBlock.builder();
        c.add("// the position in the sample of each window's first maximum, a vector of windows at a time\n");
        c.beginControlFlow("for (int smp = 0; smp < $L; smp++)", ImageKernels.samples(xs));
        c.addStatement("$L(smp)", windows);
        c.endControlFlow();
        return c.build();
    }

    /** The body of the method for a vector of windows: 2 LANES pixels of each of their two input rows. */
    private CodeBlock lanes(String x, String out, int width) {
        String[] k = constants();
        String even = k[0], odd = k[1], upper = k[2];
        CodeBlock.Builder s = CodeBlock.builder();
        s.add("// the two rows, their even and odd columns taken apart: each window's four pixels\n");
        s.addStatement("int at = soff + pos");
        s.addStatement("$T upper0 = $T.fromArray(SPECIES, $L, at)", vector, vector, x);
        s.addStatement("$T upper1 = $T.fromArray(SPECIES, $L, at + LANES)", vector, vector, x);
        s.addStatement("$T lower0 = $T.fromArray(SPECIES, $L, at + $L)", vector, vector, x, width);
        s.addStatement("$T lower1 = $T.fromArray(SPECIES, $L, at + $L + LANES)", vector, vector, x, width);
        s.addStatement("$T ul = upper0.rearrange($L).blend(upper1.rearrange($L), $L)", vector, even, even, upper);
        s.addStatement("$T ur = upper0.rearrange($L).blend(upper1.rearrange($L), $L)", vector, odd, odd, upper);
        s.addStatement("$T ll = lower0.rearrange($L).blend(lower1.rearrange($L), $L)", vector, even, even, upper);
        s.addStatement("$T lr = lower0.rearrange($L).blend(lower1.rearrange($L), $L)", vector, odd, odd, upper);
        s.add("// each window's upper-left pixel's position in its sample, then the first strict maximum, as the\n");
        s.add("// scalar code takes it\n");
        s.addStatement("$T corner = $T.zero(SPECIES).addIndex(2).add(pos)", vector, vector);
        s.addStatement("$T arg = corner", vector);
        s.addStatement("$T best = ul", vector);
        s.addStatement("$T gt = ur.compare($T.GT, best)", maskType(), VectorKernels.OPERATORS);
        s.addStatement("arg = arg.blend(corner.add(1), gt)");
        s.addStatement("best = best.blend(ur, gt)");
        s.addStatement("gt = ll.compare($T.GT, best)", VectorKernels.OPERATORS);
        s.addStatement("arg = arg.blend(corner.add($L), gt)", width);
        s.addStatement("best = best.blend(ll, gt)");
        s.addStatement("gt = lr.compare($T.GT, best)", VectorKernels.OPERATORS);
        s.addStatement("arg = arg.blend(corner.add($L), gt)", width + 1);
        s.addStatement("arg.intoArray($L, to)", out);
        return s.build();
    }

    private TypeName maskType() {
        return ParameterizedTypeName.get(MASK, precision.boxed());
    }

    /** The names of the even and odd shuffles and the upper-half mask: fields of the class, made once. */
    private String[] constants() {
        if (constants != null) {
            return constants;
        }
        TypeName shuffle = ParameterizedTypeName.get(SHUFFLE, precision.boxed());
        String even = images.fieldName("EVEN_LANES");
        String odd = images.fieldName("ODD_LANES");
        String upper = images.fieldName("UPPER_HALF");
        images.addField(FieldSpec.builder(shuffle, even, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Lanes 0, 2, 4, ... of a vector, twice: its even elements in each half.\n")
                .initializer("$T.iota(SPECIES, 0, 2, true)", SHUFFLE).build());
        images.addField(FieldSpec.builder(shuffle, odd, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Lanes 1, 3, 5, ... of a vector, twice: its odd elements in each half.\n")
                .initializer("$T.iota(SPECIES, 1, 2, true)", SHUFFLE).build());
        images.addField(FieldSpec.builder(maskType(), upper, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The upper half of a vector's lanes.\n")
                .initializer("SPECIES.indexInRange(-LANES / 2, LANES / 2)").build());
        constants = new String[] {even, odd, upper};
        return constants;
    }
}
