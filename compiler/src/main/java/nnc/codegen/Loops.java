package nnc.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import nnc.ir.Shape;

/**
 * A loop nest over a shape, shared by several arrays each read or written with its own strides
 * (0 where broadcast). Adjacent dimensions that every array walks contiguously are merged, so the
 * common cases become one flat loop, or two for a bias added to every row.
 */
final class Loops {
    private final List<String> sizes;
    private final List<int[]> strides;

    private Loops(List<String> sizes, List<int[]> strides) {
        this.sizes = sizes;
        this.strides = strides;
    }

    /**
     * @param shape the shape iterated over (batch first, as {@code n})
     * @param arrayStrides per array, its strides over the full dimensions; null for an array that
     *     is not indexed (an inlined constant)
     */
    static Loops merge(Shape shape, List<int[]> arrayStrides) {
        int batchAxes = shape.batched() ? 1 : 0;
        int rank = batchAxes + shape.rank();
        // Dimensions as (batch?, static size), innermost last; size-1 dimensions drop out.
        List<Boolean> isBatch = new ArrayList<>();
        List<Integer> size = new ArrayList<>();
        List<int[]> per = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            boolean b = d < batchAxes;
            int s = b ? 1 : shape.dim(d - batchAxes);
            if (!b && s == 1) {
                continue;
            }
            int[] column = new int[arrayStrides.size()];
            for (int k = 0; k < column.length; k++) {
                column[k] = arrayStrides.get(k) == null ? 0 : arrayStrides.get(k)[d];
            }
            isBatch.add(b);
            size.add(s);
            per.add(column);
        }
        // Merge dimension d into d + 1 when every array's stride at d is its stride at d+1 times size d+1.
        for (int d = per.size() - 2; d >= 0; d--) {
            boolean ok = true;
            for (int k = 0; k < arrayStrides.size(); k++) {
                if (per.get(d)[k] != per.get(d + 1)[k] * size.get(d + 1)) {
                    ok = false;
                    break;
                }
            }
            if (ok && !isBatch.get(d + 1)) {
                isBatch.set(d + 1, isBatch.get(d));
                size.set(d + 1, size.get(d) * size.get(d + 1));
                isBatch.remove(d);
                size.remove(d);
                per.remove(d);
            }
        }
        List<String> sizes = new ArrayList<>();
        for (int d = 0; d < size.size(); d++) {
            sizes.add(isBatch.get(d) ? (size.get(d) == 1 ? "n" : "n * " + size.get(d)) : Integer.toString(size.get(d)));
        }
        return new Loops(sizes, per);
    }

    void open(CodeBlock.Builder c) {
        for (int d = 0; d < sizes.size(); d++) {
            c.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", d, d, sizes.get(d), d);
        }
    }

    void close(CodeBlock.Builder c) {
        for (int d = 0; d < sizes.size(); d++) {
            c.endControlFlow();
        }
    }

    /** Opens every loop but the innermost, whose variable and size SIMD templates use themselves. */
    void openOuter(CodeBlock.Builder c) {
        for (int d = 0; d < sizes.size() - 1; d++) {
            c.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", d, d, sizes.get(d), d);
        }
    }

    void closeOuter(CodeBlock.Builder c) {
        for (int d = 0; d < sizes.size() - 1; d++) {
            c.endControlFlow();
        }
    }

    /** Loops in the nest (0 for a single element). */
    int depth() {
        return sizes.size();
    }

    /** The innermost loop's variable and size. */
    String innermost() {
        return "i" + (sizes.size() - 1);
    }

    String innermostSize() {
        return sizes.get(sizes.size() - 1);
    }

    /** Array {@code k}'s stride along the innermost loop. */
    int innermostStride(int k) {
        return strides.get(sizes.size() - 1)[k];
    }

    /** The index expression of array {@code k} inside the loops. */
    String index(int k) {
        StringBuilder s = new StringBuilder();
        for (int d = 0; d < sizes.size(); d++) {
            int stride = strides.get(d)[k];
            if (stride == 0) {
                continue;
            }
            if (s.length() > 0) {
                s.append(" + ");
            }
            s.append('i').append(d);
            if (stride != 1) {
                s.append(" * ").append(stride);
            }
        }
        return s.length() == 0 ? "0" : s.toString();
    }
}
