package nnc.inspect;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
final class TextTable {
    private final List<String> header;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    /** Column titles; a title starting with '>' is right-aligned (the '>' is not printed). */
    TextTable(String... titles) {
        header = new ArrayList<>();
        right = new boolean[titles.length];
        for (int i = 0; i < titles.length; i++) {
            right[i] = titles[i].startsWith(">");
            header.add(right[i] ? titles[i].substring(1) : titles[i]);
        }
    }

    void row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(List.of(cells));
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (List<String> r : concat()) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> r : concat()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = r.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i == 0 ? "" : "  ").append(right[i] ? pad + cell : cell + pad);
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
