package nnc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.Compiler;
import nnc.ir.Graph;
import nnc.ir.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnc graph: the forward and backward graph as DOT, and as SVG through Graphviz. */
class GraphDotTest {
    @TempDir
    Path dir;

    static final Pattern NODE = Pattern.compile("^    (n\\d+) \\[label=(\"(?:[^\"\\\\]|\\\\.)*\"), color=\"([^\"]+)\".*\\];$");
    static final Pattern EDGE = Pattern.compile("^  (n\\d+) -> (n\\d+)( \\[color=\"#d62728\"\\])?;$");

    /** The DOT of the deep ReLU network, K = 2 and D = 3, before optimisation. */
    static Compiler.Result deep() {
        return Models.compileForGradcheck(Models.DEEP_RELU, Compiler.Options.defaults().withSets(List.of("K=2", "D=3")));
    }

    /** Reads the DOT back: node id to (label, colour); fails on any line it does not expect. */
    static Map<String, String[]> parse(String dot, List<String[]> edges) {
        List<String> lines = dot.lines().toList();
        assertEquals("digraph \"DeepRelu\" {", lines.get(0));
        assertEquals("}", lines.get(lines.size() - 1));
        Map<String, String[]> nodes = new HashMap<>();
        int open = 0;
        for (String line : lines.subList(1, lines.size() - 1)) {
            Matcher n = NODE.matcher(line);
            Matcher e = EDGE.matcher(line);
            if (n.matches()) {
                assertEquals(1, open, "nodes are declared inside a cluster: " + line);
                assertTrue(nodes.put(n.group(1), new String[] {n.group(2), n.group(3)}) == null, "declared twice: " + line);
            } else if (e.matches()) {
                edges.add(new String[] {e.group(1), e.group(2), e.group(3) == null ? "" : "backward"});
            } else if (line.startsWith("  subgraph cluster_")) {
                assertTrue(line.endsWith(" {"));
                open++;
            } else if (line.equals("  }")) {
                open--;
            } else {
                assertTrue(line.matches("^ {2,4}[a-z]+( ?\\[.*\\])?(=.*)?;$"), "unexpected line: " + line);
            }
        }
        assertEquals(0, open);
        return nodes;
    }

    @Test
    void everyNodeOnceEveryEdgeBetweenDeclaredNodesForwardAndBackwardApart() {
        Compiler.Result r = deep();
        Graph g = r.differentiated();
        String dot = GraphDot.format(g);
        List<String[]> edges = new ArrayList<>();
        Map<String, String[]> nodes = parse(dot, edges);
        assertEquals(g.nodes().size(), nodes.size());
        int inputs = 0;
        for (Node n : g.nodes()) {
            inputs += n.inputs().size();
        }
        assertEquals(inputs, edges.size());
        for (String[] e : edges) {
            assertTrue(nodes.containsKey(e[0]) && nodes.containsKey(e[1]), String.join(" -> ", e));
        }
        // The forward pass is blue, the backward pass red, each in its own cluster.
        for (Node n : r.forward().nodes()) {
            assertEquals("#1f77b4", nodes.get("n" + n.id())[1], n.toString());
        }
        for (Node grad : g.gradients().values()) {
            assertEquals("#d62728", nodes.get("n" + grad.id())[1], grad.toString());
        }
        assertTrue(dot.contains("  subgraph cluster_forward {\n    label=\"forward pass\""), dot);
        assertTrue(dot.contains("  subgraph cluster_backward {\n    label=\"backward pass (gradients)\""), dot);
        // Labels: op, shape with the batch as N, the .nn name and line, and what a root is.
        String relu = nodes.get("n" + r.forward().outputs().get("out").input(0).input(0).id())[0];
        assertEquals("\"relu [N, 3]\\nh  model.nn:9\"", relu);
        String gradient = nodes.get("n" + g.gradients().get("h.2.weight").id())[0];
        assertTrue(gradient.endsWith("\\nd_h.2.weight  model.nn:9\\ngradient of h.2.weight\""), gradient);
    }

    @Test
    void quotesAndBackslashesInLabelsAreEscaped() {
        assertEquals("\"a \\\"b\\\" c\\\\d\\ne\"", GraphDot.quote("a \"b\" c\\d\ne"));
    }

    @Test
    void graphvizDrawsItAsSvg() throws Exception {
        // Needs Graphviz's dot (Debian: graphviz; .ci/run installs it): without it this fails, never passes.
        Path svg = dir.resolve("deep.svg");
        GraphDot.svg(GraphDot.format(deep().differentiated()), svg);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg"), text);
        assertTrue(text.contains("forward pass") && text.contains("backward pass (gradients)"));
        assertTrue(text.contains("relu [N, 3]"));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void withoutGraphvizTheMessageSaysWhatToInstall() {
        GraphDot.DotException e = assertThrows(GraphDot.DotException.class,
                () -> GraphDot.svg("digraph x {}", dir.resolve("x.svg"), "nnc-test-no-such-dot"));
        assertEquals("cannot run 'nnc-test-no-such-dot' for the SVG: Graphviz is not installed (Debian: apt-get install graphviz);"
                + " the DOT text needs no Graphviz", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.svg")));
        // And dot's own complaint about bad input reaches the user.
        GraphDot.DotException bad = assertThrows(GraphDot.DotException.class,
                () -> GraphDot.svg("digraph {", dir.resolve("y.svg")));
        assertTrue(bad.getMessage().startsWith("'dot -Tsvg' failed (exit status 1): "), bad.getMessage());
    }
}
