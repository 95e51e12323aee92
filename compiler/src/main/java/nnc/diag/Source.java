package nnc.diag;

import java.util.ArrayList;
import java.util.List;

/** A .nn file's path (as the user gave it) and text, with its lines for quoting in messages. */
public final class Source {
    private final String path;
    private final String text;
    private final List<String> lines = new ArrayList<>();

    public Source(String path, String text) {
        this.path = path;
        this.text = text;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** Line {@code n} (1-based) without its line break, or "" past the end. */
    public String line(int n) {
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
    }

    public int lineCount() {
        return lines.size();
    }
}
