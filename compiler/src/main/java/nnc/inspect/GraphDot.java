package nnc.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.Node;
import nnc.ir.Nodes;
import nnc.ir.Op;
import nnc.runtime.AtomicFiles;

/**
 * A graph as Graphviz DOT: every node labelled with its op, shape, .nn name and line; the forward
 * pass (what the outputs and the loss need) in one cluster, the backward pass (what only the
 * gradients need) in another, in other colours. Outputs, the loss and the gradients are drawn with
 * a double border.
 */
public final class GraphDot {
    private GraphDot() {}

    /** Thrown when {@code dot} cannot make the SVG: not installed, or it failed. */
    public static final class DotException extends Exception {
        public DotException(String message) {
            super(message);
        }
    }

    public static String format(Graph g) {
        List<Node> roots = new ArrayList<>(g.outputs().values());
        if (g.loss() != null) {
            roots.add(g.loss());
        }
        if (g.objective() != null) {
            roots.add(g.objective());
        }
        Set<Node> forward = Collections.newSetFromMap(new IdentityHashMap<>());
        forward.addAll(g.schedule(roots));
        forward.addAll(g.inputs());
        forward.addAll(g.targets());
        forward.addAll(g.params());
        Map<Node, String> marks = new IdentityHashMap<>();
        g.outputs().forEach((name, n) -> marks.merge(n, "output " + name, (a, b) -> a + ", " + b));
        if (g.loss() != null) {
            marks.merge(g.loss(), "loss", (a, b) -> a + ", " + b);
        }
        if (g.objective() != null && g.objective() != g.loss()) {
            marks.merge(g.objective(), "objective", (a, b) -> a + ", " + b);
        }
        g.gradients().forEach((name, n) -> marks.merge(n, "gradient of " + name, (a, b) -> a + ", " + b));

        StringBuilder s = new StringBuilder();
        s.append("digraph ").append(quote(g.name())).append(" {\n");
        s.append("  rankdir=TB;\n");
        s.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
        s.append("  edge [color=\"#555555\"];\n");
        cluster(s, "forward", "forward pass", "#1f77b4", "#e8f1fa", g, forward, true, marks);
        cluster(s, "backward", "backward pass (gradients)", "#d62728", "#fbe9e9", g, forward, false, marks);
        for (Node n : g.nodes()) {
            for (Node in : n.inputs()) {
                s.append("  ").append(id(in)).append(" -> ").append(id(n));
                if (!forward.contains(n)) {
                    s.append(" [color=\"#d62728\"]");
                }
                s.append(";\n");
            }
        }
        return s.append("}\n").toString();
    }

    private static void cluster(StringBuilder s, String name, String title, String color, String fill, Graph g,
            Set<Node> forward, boolean inForward, Map<Node, String> marks) {
        s.append("  subgraph cluster_").append(name).append(" {\n");
        s.append("    label=").append(quote(title)).append("; color=").append(quote(color)).append("; fontcolor=")
                .append(quote(color)).append(";\n");
        for (Node n : g.nodes()) {
            if (forward.contains(n) != inForward) {
                continue;
            }
            s.append("    ").append(id(n)).append(" [label=").append(quote(label(n, marks.get(n))))
                    .append(", color=").append(quote(color)).append(", fillcolor=").append(quote(fill));
            if (marks.containsKey(n)) {
                s.append(", peripheries=2");
            }
            s.append("];\n");
        }
        s.append("  }\n");
    }

    /** "relu [N, 64]\nh1  regression.nn:6\noutput out". */
    static String label(Node n, String mark) {
        StringBuilder s = new StringBuilder(Nodes.describe(n).replace("[batch", "[N"));
        if (n.op() == Op.PARAM) {
            s.append("\ninit ").append(n.param().init());
        }
        String where = n.origin().where();
        if (n.label() != null || !where.isEmpty()) {
            s.append('\n').append(n.label() == null ? "" : n.label()).append(n.label() != null && !where.isEmpty() ? "  " : "")
                    .append(where);
        }
        if (mark != null) {
            s.append('\n').append(mark);
        }
        return s.toString();
    }

    private static String id(Node n) {
        return "n" + n.id();
    }

    /** A DOT string: quotes and backslashes escaped, line breaks as \n. */
    static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> {}
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }

    /** Runs {@code dot -Tsvg} on the text and writes the SVG atomically to {@code target}. */
    public static void svg(String dot, Path target) throws DotException, IOException {
        svg(dot, target, "dot");
    }

    /** The same with another Graphviz executable (a path, or a name looked up on the PATH). */
    static void svg(String dot, Path target, String executable) throws DotException, IOException {
        Process p;
        try {
            p = new ProcessBuilder(executable, "-Tsvg").redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new DotException("cannot run '" + executable + "' for the SVG: Graphviz is not installed"
                    + " (Debian: apt-get install graphviz); the DOT text needs no Graphviz");
        }
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread drainErrors = new Thread(() -> drain(p.getErrorStream(), errors));
        drainErrors.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        drain(p.getInputStream(), svg);
        int status;
        try {
            status = p.waitFor();
            drainErrors.join();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new DotException("interrupted while 'dot' ran");
        }
        if (status != 0) {
            throw new DotException("'dot -Tsvg' failed (exit status " + status + "): "
                    + errors.toString(StandardCharsets.UTF_8).strip());
        }
        AtomicFiles.write(target, out -> out.write(svg.toString(StandardCharsets.UTF_8)));
    }

    private static void drain(InputStream in, ByteArrayOutputStream to) {
        try (in) {
            in.transferTo(to);
        } catch (IOException e) {
            // The process's exit status tells what went wrong.
        }
    }
}
