package nnc.cli;

import java.util.Locale;
import java.util.Map;

/** One flat JSON object per line, for {@code --json}: strings, numbers, booleans. */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(string(e.getKey())).append(':').append(value(e.getValue()));
        }
        return s.append('}').toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Double d) {
            // JSON has no NaN or infinity.
            return d.isNaN() || d.isInfinite() ? "null" : Double.toString(d); // shortest text that reads back exactly
        } else if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return string(v.toString());
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
