package nnc.check;

import java.util.List;
import java.util.Set;
import nnc.diag.Code;
import nnc.ir.InitSpec;
import nnc.ir.Shape;
import nnc.parse.Ast;

/**
 * The checks of the image functions: conv2d, maxpool2d, avgpool2d, batchnorm, flatten and reshape.
 * Images are [C, H, W] per sample. Each returns the call's shape, or null after reporting.
 */
final class ImageChecks {
    /** Largest positions a max-pool index can name exactly in a float. */
    private static final int MAX_POOLED = 1 << 24;

    private final Checker checker;

    ImageChecks(Checker checker) {
        this.checker = checker;
    }

    /** {@code conv2d(x, filters, kernel, stride: 1, padding: 0, bias: true, weights: I, biases: I)}. */
    Shape conv2d(Ast.Call c) {
        if (!checker.arity(c, 3, 3, Set.of("stride", "padding", "bias", "weights", "biases"))) {
            return null;
        }
        Shape x = checker.expr(c.args().get(0));
        Integer filters = checker.positiveInt(c.args().get(1), "the number of filters of conv2d");
        Integer kernel = checker.positiveInt(c.args().get(2), "the kernel size of conv2d");
        Integer stride = 1;
        Integer padding = 0;
        InitSpec weights = checker.defaultWeights();
        InitSpec biases = checker.defaultBiases();
        boolean bias = true;
        boolean ok = true;
        for (Ast.NamedArg a : c.named()) {
            switch (a.name()) {
                case "stride" -> stride = checker.positiveInt(a.value(), "the stride of conv2d");
                case "padding" -> padding = nonNegative(a.value(), "the padding of conv2d");
                case "weights" -> weights = checker.initializer(a.value());
                case "biases" -> biases = checker.initializer(a.value());
                default -> {
                    Boolean b = Checker.bool(a.value());
                    if (b == null) {
                        checker.error(Code.E209, a.value().pos(), "bias: takes true or false");
                        ok = false;
                    } else {
                        bias = b;
                    }
                }
            }
        }
        if (x == null || filters == null || kernel == null || stride == null || padding == null || weights == null
                || biases == null || !ok || !image(c, x)) {
            return null;
        }
        Shape out = windows(c, x, kernel, stride, padding);
        if (out == null) {
            return null;
        }
        int channels = x.dim(0);
        int area = kernel * kernel;
        String prefix = checker.layerPrefix(c);
        // Fans as PyTorch counts them: every filter sees C x K x K inputs; every input feeds F x K x K outputs.
        CheckedModel.ParamSpec w = checker.newParam(prefix + ".weight", Shape.unbatched(filters, channels, kernel, kernel),
                weights, channels * area, filters * area, c.namePos());
        CheckedModel.ParamSpec b = bias
                ? checker.newParam(prefix + ".bias", Shape.unbatched(filters), biases, channels * area, filters * area, c.namePos())
                : null;
        if (w == null || (bias && b == null)) {
            return null;
        }
        checker.layer(c, new CheckedModel.Layer(w, b));
        checker.attrs(c, new CheckedModel.Attrs(kernel, kernel, stride, padding, 0, 0, null));
        return Shape.batched(filters, out.dim(1), out.dim(2));
    }

    /** {@code maxpool2d(x, kernel, stride: kernel, padding: 0)}, and avgpool2d alike. */
    Shape pool(Ast.Call c) {
        if (!checker.arity(c, 2, 2, Set.of("stride", "padding"))) {
            return null;
        }
        Shape x = checker.expr(c.args().get(0));
        Integer kernel = checker.positiveInt(c.args().get(1), "the kernel size of " + c.name());
        Integer stride = kernel;
        Integer padding = 0;
        for (Ast.NamedArg a : c.named()) {
            if (a.name().equals("stride")) {
                stride = checker.positiveInt(a.value(), "the stride of " + c.name());
            } else {
                padding = nonNegative(a.value(), "the padding of " + c.name());
            }
        }
        if (x == null || kernel == null || stride == null || padding == null || !image(c, x)) {
            return null;
        }
        if (2 * padding > kernel) {
            checker.error(Code.E222, c.pos(), c.name() + " pads at most half the kernel on each side: padding " + padding
                    + " is too much for kernel " + kernel);
            return null;
        }
        if (c.name().equals("maxpool2d") && x.size() > MAX_POOLED) {
            checker.error(Code.E406, c.args().get(0).pos(), "maxpool2d takes images of at most " + MAX_POOLED
                    + " values per sample, but " + x + " has " + x.size());
            return null;
        }
        Shape out = windows(c, x, kernel, stride, padding);
        if (out == null) {
            return null;
        }
        checker.attrs(c, new CheckedModel.Attrs(kernel, kernel, stride, padding, 0, 0, null));
        return out;
    }

    /**
     * {@code batchnorm(x, momentum: 0.1, eps: 1e-5)} over the channels of images [C, H, W] or the
     * features of vectors [F]: parameters weight (1) and bias (0), state running_mean (0) and
     * running_var (1), all [C].
     */
    Shape batchnorm(Ast.Call c) {
        if (!checker.arity(c, 1, 1, Set.of("momentum", "eps"))) {
            return null;
        }
        Shape x = checker.expr(c.args().get(0));
        double momentum = 0.1;
        double eps = 1e-5;
        for (Ast.NamedArg a : c.named()) {
            Double v = checker.constant(a.value());
            if (a.name().equals("momentum")) {
                if (v == null || !(v >= 0 && v <= 1)) {
                    checker.error(Code.E209, a.value().pos(), "the momentum of batchnorm must be a number from 0 to 1, not '"
                            + a.value().pos().text() + "'");
                    return null;
                }
                momentum = v;
            } else {
                if (v == null || !(v > 0) || Double.isInfinite(v)) {
                    checker.error(Code.E209, a.value().pos(), "the eps of batchnorm must be a positive number, not '"
                            + a.value().pos().text() + "'");
                    return null;
                }
                eps = v;
            }
        }
        if (x == null) {
            return null;
        }
        if (!x.batched() || (x.rank() != 1 && x.rank() != 3)) {
            checker.error(Code.E212, c.args().get(0).pos(), "batchnorm needs images [batch, C, H, W] or vectors [batch, F], but got " + x);
            return null;
        }
        int channels = x.dim(0);
        Shape s = Shape.unbatched(channels);
        String prefix = checker.layerPrefix(c);
        int perSample = x.size() / channels;
        CheckedModel.ParamSpec w = checker.newParam(prefix + ".weight", s, new InitSpec("constant", 1), perSample, perSample, c.namePos());
        CheckedModel.ParamSpec b = checker.newParam(prefix + ".bias", s, new InitSpec("zeros"), perSample, perSample, c.namePos());
        CheckedModel.StateSpec mean = checker.newState(prefix + ".running_mean", s, 0, c.namePos());
        CheckedModel.StateSpec var = checker.newState(prefix + ".running_var", s, 1, c.namePos());
        if (w == null || b == null || mean == null || var == null) {
            return null;
        }
        checker.layer(c, new CheckedModel.Layer(w, b, List.of(mean, var)));
        checker.attrs(c, new CheckedModel.Attrs(0, 0, 0, 0, momentum, eps, null));
        return x;
    }

    /** {@code flatten(x)}: every dimension of a sample as one. */
    Shape flatten(Ast.Call c) {
        if (!checker.arity(c, 1, 1, Set.of())) {
            return null;
        }
        Shape x = checker.expr(c.args().get(0));
        if (x == null) {
            return null;
        }
        Shape out = Shape.of(x.batched(), x.size());
        checker.attrs(c, new CheckedModel.Attrs(0, 0, 0, 0, 0, 0, out));
        return out;
    }

    /** {@code reshape(x, d1, d2, ...)}: the same number of values per sample, in another shape. */
    Shape reshape(Ast.Call c) {
        if (!checker.arity(c, 2, 9, Set.of())) {
            return null;
        }
        Shape x = checker.expr(c.args().get(0));
        int[] dims = new int[c.args().size() - 1];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            Integer d = checker.positiveInt(c.args().get(i + 1), "a dimension of reshape");
            if (d == null) {
                return null;
            }
            dims[i] = d;
            size *= d;
        }
        if (x == null) {
            return null;
        }
        if (size != x.size()) {
            Shape to = size > Integer.MAX_VALUE ? null : Shape.of(x.batched(), dims);
            checker.error(Code.E222, c.pos(), "cannot reshape " + x + " (" + x.size() + " values per sample) to "
                    + (to == null ? "that shape" : to + " (" + size + ")"));
            return null;
        }
        Shape out = Shape.of(x.batched(), dims);
        checker.attrs(c, new CheckedModel.Attrs(0, 0, 0, 0, 0, 0, out));
        return out;
    }

    /** Whether x is images [batch, C, H, W]; reports if not. */
    private boolean image(Ast.Call c, Shape x) {
        if (x.batched() && x.rank() == 3) {
            return true;
        }
        checker.error(Code.E212, c.args().get(0).pos(), c.name() + " needs images [batch, C, H, W], but got " + x
                + (x.batched() && x.rank() == 1 ? "; give the input a shape such as [1, 28, 28], or reshape(x, 1, 28, 28)" : ""));
        return false;
    }

    /** The pooled shape [C, OH, OW], or null after reporting that the window does not fit. */
    private Shape windows(Ast.Call c, Shape x, int kernel, int stride, int padding) {
        int oh = Shape.windows(x.dim(1), kernel, stride, padding);
        int ow = Shape.windows(x.dim(2), kernel, stride, padding);
        if (oh < 1 || ow < 1) {
            checker.error(Code.E222, c.pos(), c.name() + ": a " + kernel + "x" + kernel + " kernel does not fit " + x
                    + " with padding " + padding);
            return null;
        }
        return Shape.batched(x.dim(0), oh, ow);
    }

    private Integer nonNegative(Ast.Expr e, String what) {
        Double v = checker.constant(e);
        if (v == null || v != Math.rint(v) || v < 0 || v > 1_000_000) {
            checker.error(Code.E209, e.pos(), what + " must be a whole number of at least 0, not '" + e.pos().text() + "'");
            return null;
        }
        return v.intValue();
    }
}
