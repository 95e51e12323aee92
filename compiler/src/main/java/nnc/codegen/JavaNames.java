package nnc.codegen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns .nn names into Java identifiers that cannot break or inject into the generated class:
 * ASCII only, never a keyword, never a name the class itself uses, unique after mangling (like
 * JavaPoet's NameAllocator).
 */
final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non-sealed", "when", "module", "open", "exports", "requires", "_");

    private final Set<String> taken = new HashSet<>();
    /** The next suffix to try for each base name: a model with thousands of nodes stays linear. */
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    /** Reserves names the generated class uses itself. */
    JavaNames reserve(String... names) {
        for (String n : names) {
            taken.add(n.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /**
     * A fresh identifier for {@code suggestion}. Uniqueness is case-insensitive so that two
     * names never differ only by case, which would confuse readers and case-insensitive file systems.
     */
    String allocate(String suggestion) {
        String base = mangle(suggestion);
        String name = base;
        String key = base.toLowerCase(Locale.ROOT);
        int i = nextSuffix.getOrDefault(key, 2);
        while (taken.contains(name.toLowerCase(Locale.ROOT))) {
            name = base + "_" + i++;
        }
        nextSuffix.put(key, i);
        taken.add(name.toLowerCase(Locale.ROOT));
        return name;
    }

    /** ASCII letters, digits and underscores; other characters become {@code _xHEX}. */
    static String mangle(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                out.append((char) c);
            } else if (c == '.') {
                out.append('_');
            } else {
                out.append("_x").append(Integer.toHexString(c));
            }
        });
        if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        String r = out.toString();
        return KEYWORDS.contains(r) ? r + "_" : r;
    }

    /** Types the generated class refers to by simple name: the class itself must not hide them. */
    static final Set<String> REFERENCED_TYPES = Set.of("Math", "List", "Model", "Tensor", "Parameter", "Init",
            "Override", "String", "Object", "IllegalArgumentException", "System", "Float", "Double", "Arrays", "State");

    /** A class name from a model name: mangled, first letter upper case, hiding no type it uses. */
    static String className(String modelName) {
        String m = mangle(modelName);
        if (m.startsWith("_")) {
            m = "Model" + m;
        }
        m = Character.toUpperCase(m.charAt(0)) + m.substring(1);
        return REFERENCED_TYPES.contains(m) ? m + "_" : m;
    }

    /**
     * A Java string literal of {@code s} in ASCII: JavaPoet's {@code $S} keeps other characters as
     * they are, which breaks a build whose source encoding is not UTF-8. A non-ASCII character is
     * a unicode escape, which javac decodes first; none of them can be a quote, a backslash or a
     * line break, which are escaped the ordinary way.
     */
    static String stringLiteral(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 32) {
                        out.append(String.format("\\%03o", (int) c));
                    } else if (c > 126) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Text safe inside a {@code //} comment: no line breaks, and no backslash that could start a
     * unicode escape, which javac would decode even inside a comment.
     */
    static String commentText(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || Character.isISOControl(c)) {
                out.append(' ');
            } else if (c > 126) {
                out.append(String.format("[U+%04X]", c)); // generated files stay ASCII whatever javac's encoding
            } else {
                out.append((char) c);
            }
        });
        // "*/" would end a block comment early.
        return out.toString().replace("*/", "* /").replaceAll(" {2,}", " ").trim();
    }
}
