package nnc.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nnc.cli.Main;
import nnc.runtime.ErrorCode;
import nnc.runtime.data.DataException;
import nnc.runtime.data.FashionMnist;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/errors.md is the test: every section's example files are written to a fresh folder, its
 * commands run in process ({@link Main#run}), and what they print on the error stream must equal
 * the text the page shows, code and all. So the page cannot drift from what nnc prints, and every
 * code of {@link Code} and {@link ErrorCode} must have a section with an example that prints it.
 *
 * <p>A section is {@code <a id="E204"></a>}, {@code ## E204: title} (the title as in the enum), any
 * number of files as fenced blocks whose info string names them ({@code ```nn model.nn},
 * {@code ```text train.csv}, {@code ```hex labels.idx} for bytes written in hex), and one
 * {@code ```console} block of commands ({@code $ nnc ...}) each followed by exactly what it prints
 * on the error stream. Arguments naming an example's file, or following an option that takes a path,
 * are resolved in the folder, and the folder's path is taken out of the output again. When writing
 * a section, {@code -Dnnc.errorsDoc.actual=FILE} collects what the commands print instead of
 * comparing it, to be read and pasted.
 */
class ErrorsDocTest {
    static final Path DOC = Path.of("..", "docs", "errors.md");

    /** Options whose value is a path, resolved in the example's folder. */
    private static final Set<String> PATH_OPTIONS = Set.of("-d", "-o", "--save", "--resume", "--history", "--plots",
            "--svg", "--weights", "--data", "--validation", "--output");

    /** A file to collect the commands' actual output in instead of comparing it (when writing the page). */
    private static final String UPDATE = System.getProperty("nnc.errorsDoc.actual");

    /**
     * Codes whose example this test cannot run, and why; their messages are checked where they are
     * made instead (named here).
     */
    static final Map<String, String> NOT_RUN = Map.of(
            "E824", "needs a machine without Graphviz's dot; GraphDotTest runs a missing dot");

    private static final Pattern HEADING = Pattern.compile("^## ([EW]\\d{3}): (.+)$");
    private static final Pattern FENCE = Pattern.compile("^```(\\S*)(?: (\\S+))?\\s*$");

    record Example(String code, String title, boolean anchored, Map<String, String> files, Map<String, String> kinds,
            List<Command> commands) {}

    record Command(String line, String expected) {}

    static Map<String, Example> sections() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        Map<String, Example> sections = new LinkedHashMap<>();
        Example current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                boolean anchored = i > 0 && lines.get(i - 1).equals("<a id=\"" + h.group(1) + "\"></a>");
                current = new Example(h.group(1), h.group(2), anchored, new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
                if (sections.put(current.code(), current) != null) {
                    fail("docs/errors.md has two sections for " + current.code());
                }
                continue;
            }
            if (line.startsWith("## ")) {
                current = null; // a section of the page that is not a code's
                continue;
            }
            Matcher f = FENCE.matcher(line);
            if (current == null || !f.matches() || f.group(1).isEmpty()) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                body.append(lines.get(i)).append('\n');
            }
            if (f.group(1).equals("console")) {
                String command = null;
                StringBuilder expected = new StringBuilder();
                for (String l : body.toString().split("\n")) {
                    if (l.startsWith("$ ")) {
                        if (command != null) {
                            current.commands().add(new Command(command, expected.toString()));
                        }
                        command = l.substring(2);
                        expected.setLength(0);
                    } else if (command != null) {
                        expected.append(l).append('\n');
                    }
                }
                if (command != null) {
                    current.commands().add(new Command(command, expected.toString()));
                }
            } else if (f.group(2) != null) {
                current.files().put(f.group(2), body.toString());
                current.kinds().put(f.group(2), f.group(1));
            }
        }
        return sections;
    }

    /** Every code of both enums, in order, with its title. */
    static Map<String, String> allCodes() {
        Map<String, String> codes = new TreeMap<>();
        for (Code c : Code.values()) {
            assertEquals(null, codes.put(c.name(), c.title()), c + " is defined twice");
        }
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(null, codes.put(c.name(), c.title()), c + " is both a compiler and a runtime code");
        }
        return codes;
    }

    @Test
    void everyCodeHasASectionAndEverySectionACode() throws IOException {
        Map<String, String> codes = allCodes();
        Map<String, Example> sections = sections();
        List<String> problems = new ArrayList<>();
        for (var c : codes.entrySet()) {
            Example e = sections.get(c.getKey());
            if (e == null) {
                problems.add(c.getKey() + " has no section in docs/errors.md");
            } else {
                if (!e.title().equals(c.getValue())) {
                    problems.add(c.getKey() + ": the section's title is '" + e.title() + "', the code's '" + c.getValue() + "'");
                }
                if (!e.anchored()) {
                    problems.add(c.getKey() + ": no <a id=\"" + c.getKey() + "\"></a> above its heading");
                }
                if (e.commands().isEmpty()) {
                    problems.add(c.getKey() + ": no example command");
                }
            }
        }
        for (String documented : sections.keySet()) {
            if (!codes.containsKey(documented)) {
                problems.add(documented + " is documented but is no code of nnc.diag.Code or nnc.runtime.ErrorCode");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void codesAreGroupedAndWellFormed() {
        for (Code c : Code.values()) {
            assertTrue(c.name().matches("[EW][1-9]\\d\\d"), c.name());
            assertTrue(c.warning() || "1234568".indexOf(c.name().charAt(1)) >= 0, c + ": not a compiler group");
            assertFalse(c.title().isBlank());
        }
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(c.name().matches("E[567]\\d\\d"), c + ": runtime codes are E5xx to E7xx");
            assertFalse(c.title().isBlank());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExamplePrintsWhatThePageShows(@TempDir Path root) throws IOException {
        return sections().values().stream().map(e -> DynamicTest.dynamicTest(e.code(), () -> run(e, root.resolve(e.code()))));
    }

    private static void run(Example e, Path dir) throws IOException {
        String label = (e.code().startsWith("W") ? "warning[" : "error[") + e.code() + "]";
        if (NOT_RUN.containsKey(e.code())) {
            assertTrue(e.commands().get(e.commands().size() - 1).expected().contains(label), e.code());
            return;
        }
        Files.createDirectories(dir);
        for (var f : e.files().entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            if (e.kinds().get(f.getKey()).equals("hex")) {
                Files.write(p, HexFormat.of().parseHex(f.getValue().replaceAll("\\s", "")));
            } else {
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertFalse(e.commands().isEmpty(), e.code() + ": no command");
        String last = null;
        for (Command c : e.commands()) {
            String printed = run(c.line(), dir, e.files().keySet());
            if (UPDATE != null) {
                // Writing the page: collect what nnc prints, to be read and pasted by a person.
                Files.writeString(Path.of(UPDATE), "=== " + e.code() + "\n$ " + c.line() + "\n" + printed,
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } else {
                assertEquals(c.expected(), printed, e.code() + ": $ " + c.line());
            }
            last = printed;
        }
        assertNotNull(last);
        assertTrue(last.contains(label), e.code() + ": the example's last command does not print " + label + ":\n" + last);
    }

    /** Runs one command line of the page in {@code dir}; what it printed on the error stream. */
    static String run(String line, Path dir, Set<String> files) {
        List<String> words = split(line);
        assertEquals("nnc", words.get(0), line);
        List<String> args = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String f : files) {
            named.add(f.contains("/") ? f.substring(0, f.indexOf('/')) : f);
        }
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            String first = w.contains("/") ? w.substring(0, w.indexOf('/')) : w;
            boolean path = !w.startsWith("-") && !w.startsWith("builtin:")
                    && (named.contains(first) || PATH_OPTIONS.contains(words.get(i - 1)) || w.endsWith(".nn"));
            args.add(path ? dir.resolve(w).toString() : w);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (args.contains("builtin:fashion-mnist")) {
            // The only errors about IDX files are those of the installed Fashion-MNIST, which a test
            // cannot damage: the example's folder stands in for it, read as `nnc train` reads it and
            // printed as TrainCommand prints a DataException.
            try {
                FashionMnist.load(dir.resolve("fashion-mnist"));
                return "";
            } catch (DataException x) {
                return x.getMessage().replace(dir.resolve("fashion-mnist").toString(), FashionMnist.DEFAULT_DIR.toString()) + "\n";
            }
        }
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream r = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Main.run(args, o, r);
        }
        return err.toString(StandardCharsets.UTF_8).replace(dir + "/", "").replace(dir.toString(), ".");
    }

    /** Words of a shell command line: single and double quotes group, as a shell does. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char ch : line.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void commandLinesSplitAsInAShell() {
        assertEquals(List.of("nnc", "train", "m.nn", "--optimizer", "adam(lr: 0.1)", ""),
                split("nnc train m.nn --optimizer 'adam(lr: 0.1)' \"\""));
        assertEquals(Arrays.asList("a"), split("  a  "));
    }
}
