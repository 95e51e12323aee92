package nnc.interp;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.Shape;

/**
 * The interpreter's kernels for images, [channels, height, width] per sample: the convolutions,
 * the pools, gather and scatter. Plain loops in the mathematical order; each sum adds its terms in
 * the order generated code does (documented per kernel), so float results agree to the bit.
 */
final class ImageKernels {
    private ImageKernels() {}

    /** Samples in a batch of n: n for batched shapes, one for unbatched ones. */
    private static int samples(Shape s, int n) {
        return s.batched() ? n : 1;
    }

    /**
     * y[s, f, oh, ow] = sum over c, kh, kw (in that order, padding skipped) of
     * x[s, c, oh * stride + kh - pad, ow * stride + kw - pad] w[f, c, kh, kw].
     */
    static void conv2d(Node node, double[] x, double[] w, double[] out, int n, DoubleUnaryOperator round) {
        Shape xs = node.input(0).shape();
        Shape ws = node.input(1).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int filters = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        for (int s = 0; s < samples(xs, n); s++) {
            for (int f = 0; f < filters; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = 0;
                        for (int c = 0; c < channels; c++) {
                            for (int a = 0; a < kh; a++) {
                                int row = i * stride + a - pad;
                                if (row < 0 || row >= height) {
                                    continue;
                                }
                                for (int b = 0; b < kw; b++) {
                                    int col = j * stride + b - pad;
                                    if (col < 0 || col >= width) {
                                        continue;
                                    }
                                    double xv = x[((s * channels + c) * height + row) * width + col];
                                    double wv = w[((f * channels + c) * kh + a) * kw + b];
                                    acc = round.applyAsDouble(acc + round.applyAsDouble(xv * wv));
                                }
                            }
                        }
                        out[((s * filters + f) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
    }

    /**
     * y[s, c, r, q] = sum over f, kh, kw (in that order) of g[s, f, oh, ow] w[f, c, kh, kw] for the
     * output positions oh, ow whose window put kh, kw on r, q.
     */
    static void conv2dT(Node node, double[] g, double[] w, double[] out, int n, DoubleUnaryOperator round) {
        Shape gs = node.input(0).shape();
        Shape ws = node.input(1).shape();
        int channels = node.shape().dim(0), height = node.shape().dim(1), width = node.shape().dim(2);
        int filters = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        int oh = gs.dim(1), ow = gs.dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        for (int s = 0; s < samples(gs, n); s++) {
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < height; r++) {
                    for (int q = 0; q < width; q++) {
                        double acc = 0;
                        for (int f = 0; f < filters; f++) {
                            for (int a = 0; a < kh; a++) {
                                int i = window(r + pad - a, stride, oh);
                                if (i < 0) {
                                    continue;
                                }
                                for (int b = 0; b < kw; b++) {
                                    int j = window(q + pad - b, stride, ow);
                                    if (j < 0) {
                                        continue;
                                    }
                                    double gv = g[((s * filters + f) * oh + i) * ow + j];
                                    double wv = w[((f * channels + c) * kh + a) * kw + b];
                                    acc = round.applyAsDouble(acc + round.applyAsDouble(gv * wv));
                                }
                            }
                        }
                        out[((s * channels + c) * height + r) * width + q] = acc;
                    }
                }
            }
        }
    }

    /** The output position whose window starts {@code offset} before this one, or -1. */
    private static int window(int offset, int stride, int count) {
        if (offset < 0 || offset % stride != 0 || offset / stride >= count) {
            return -1;
        }
        return offset / stride;
    }

    /**
     * y[f, c, kh, kw] = sum over s, oh, ow (in that order, padding skipped) of
     * x[s, c, oh * stride + kh - pad, ow * stride + kw - pad] g[s, f, oh, ow].
     */
    static void conv2dFilter(Node node, double[] x, double[] g, double[] out, int n, DoubleUnaryOperator round) {
        Shape xs = node.input(0).shape();
        Shape gs = node.input(1).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int filters = node.shape().dim(0), kh = node.shape().dim(2), kw = node.shape().dim(3);
        int oh = gs.dim(1), ow = gs.dim(2);
        int stride = node.ints(0), pad = node.ints(1);
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double acc = 0;
                        for (int s = 0; s < samples(xs, n); s++) {
                            for (int i = 0; i < oh; i++) {
                                int row = i * stride + a - pad;
                                if (row < 0 || row >= height) {
                                    continue;
                                }
                                for (int j = 0; j < ow; j++) {
                                    int col = j * stride + b - pad;
                                    if (col < 0 || col >= width) {
                                        continue;
                                    }
                                    double xv = x[((s * channels + c) * height + row) * width + col];
                                    double gv = g[((s * filters + f) * oh + i) * ow + j];
                                    acc = round.applyAsDouble(acc + round.applyAsDouble(xv * gv));
                                }
                            }
                        }
                        out[((f * channels + c) * kh + a) * kw + b] = acc;
                    }
                }
            }
        }
    }

    /**
     * MAXPOOL_INDEX: the position within the sample of each window's first maximum (in the order
     * kh, kw; padding skipped); AVGPOOL: each window's sum (in that order) divided by its full size,
     * padding counting as zeros.
     */
    static void pool(Node node, double[] x, double[] out, int n, DoubleUnaryOperator round) {
        Shape xs = node.input(0).shape();
        int channels = xs.dim(0), height = xs.dim(1), width = xs.dim(2);
        int oh = node.shape().dim(1), ow = node.shape().dim(2);
        int kh = node.ints(0), kw = node.ints(1), stride = node.ints(2), pad = node.ints(3);
        boolean max = node.op() == Op.MAXPOOL_INDEX;
        for (int s = 0; s < samples(xs, n); s++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = 0;
                        int best = -1;
                        double bestValue = 0;
                        for (int a = 0; a < kh; a++) {
                            int row = i * stride + a - pad;
                            if (row < 0 || row >= height) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int col = j * stride + b - pad;
                                if (col < 0 || col >= width) {
                                    continue;
                                }
                                int at = (c * height + row) * width + col;
                                double v = x[s * channels * height * width + at];
                                if (best < 0 || v > bestValue) {
                                    best = at;
                                    bestValue = v;
                                }
                                acc = round.applyAsDouble(acc + v);
                            }
                        }
                        out[((s * channels + c) * oh + i) * ow + j] = max ? best : round.applyAsDouble(acc / (kh * kw));
                    }
                }
            }
        }
    }

    /** AVGPOOL_T: y[s, c, r, q] = sum over kh, kw (in that order) of g[s, c, oh, ow] / (KH KW) over the windows holding r, q. */
    static void avgPoolT(Node node, double[] g, double[] out, int n, DoubleUnaryOperator round) {
        Shape gs = node.input(0).shape();
        int channels = node.shape().dim(0), height = node.shape().dim(1), width = node.shape().dim(2);
        int oh = gs.dim(1), ow = gs.dim(2);
        int kh = node.ints(0), kw = node.ints(1), stride = node.ints(2), pad = node.ints(3);
        for (int s = 0; s < samples(gs, n); s++) {
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < height; r++) {
                    for (int q = 0; q < width; q++) {
                        double acc = 0;
                        for (int a = 0; a < kh; a++) {
                            int i = window(r + pad - a, stride, oh);
                            if (i < 0) {
                                continue;
                            }
                            for (int b = 0; b < kw; b++) {
                                int j = window(q + pad - b, stride, ow);
                                if (j < 0) {
                                    continue;
                                }
                                double term = round.applyAsDouble(g[((s * channels + c) * oh + i) * ow + j] / (kh * kw));
                                acc = round.applyAsDouble(acc + term);
                            }
                        }
                        out[((s * channels + c) * height + r) * width + q] = acc;
                    }
                }
            }
        }
    }

    /** GATHER: y[s, j] = x[s, index[s, j]]; SCATTER: y[s, index[s, j]] += g[s, j], in the order of j. */
    static void index(Node node, double[] v, double[] index, double[] out, int n, DoubleUnaryOperator round) {
        Shape is = node.input(1).shape();
        int count = is.size();
        if (node.op() == Op.GATHER) {
            int from = node.input(0).shape().size();
            for (int s = 0; s < samples(is, n); s++) {
                for (int j = 0; j < count; j++) {
                    out[s * count + j] = v[s * from + (int) index[s * count + j]];
                }
            }
            return;
        }
        int to = node.shape().size();
        int samples = samples(is, n);
        Arrays.fill(out, 0, samples * to, 0);
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < count; j++) {
                int at = s * to + (int) index[s * count + j];
                out[at] = round.applyAsDouble(out[at] + v[s * count + j]);
            }
        }
    }
}
