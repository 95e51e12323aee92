package nnc.ir;

/**
 * How tensors are laid out in memory: flat, row-major, the batch dimension (if any) first. The
 * interpreter and the code generator index broadcast operands through these strides.
 */
public final class Layout {
    private Layout() {}

    /** The full dimensions of {@code s} for a run-time batch {@code n}: {@code [n, dims...]} if batched. */
    public static int[] dims(Shape s, int n) {
        int[] d = s.dims();
        if (!s.batched()) {
            return d;
        }
        int[] full = new int[d.length + 1];
        full[0] = n;
        System.arraycopy(d, 0, full, 1, d.length);
        return full;
    }

    /** Elements of {@code s} for a run-time batch {@code n}. */
    public static int length(Shape s, int n) {
        return s.batched() ? n * s.size() : s.size();
    }

    /**
     * The strides with which to read {@code operand} at each position of the full dimensions of
     * {@code result}, which it broadcasts to: 0 along dimensions it is stretched over. A batched
     * operand's batch dimension meets the result's; per-sample dimensions align from the right.
     */
    public static int[] broadcastStrides(Shape operand, Shape result) {
        int batchAxes = result.batched() ? 1 : 0;
        int[] strides = new int[batchAxes + result.rank()];
        int stride = 1;
        int offset = result.rank() - operand.rank();
        for (int i = operand.rank() - 1; i >= 0; i--) {
            int d = operand.dim(i);
            strides[batchAxes + offset + i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        if (result.batched() && operand.batched()) {
            strides[0] = stride;
        }
        return strides;
    }
}
