package nnc.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: options ({@code --name value} or {@code --flag}) and positional
 * arguments. Parsing fails with a {@link UsageException} naming the offending argument.
 */
final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Bad command-line usage: printed with the command's usage, exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param valued options that take a value
     * @param flags options that take none
     */
    static Args parse(List<String> argv, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    a.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else if (arg.equals("-d") && valued.contains("d")) {
                if (i + 1 >= argv.size()) {
                    throw new UsageException("option -d needs a directory");
                }
                a.options.put("d", argv.get(++i));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String get(String name) {
        return options.get(name);
    }

    List<String> positional() {
        return positional;
    }

    Integer intOption(String name, int min) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", not " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, not '" + v + "'");
        }
    }

    Long longOption(String name) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, not '" + v + "'");
        }
    }

    Double positiveDouble(String name) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new UsageException("--" + name + " must be a positive number, not " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a number, not '" + v + "'");
        }
    }
}
