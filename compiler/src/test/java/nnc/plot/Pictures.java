package nnc.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads the files nnc.plot writes back, as a viewer would: the PNG's pixels, the SVG's elements. */
final class Pictures {
    private Pictures() {}

    /** The PNG, decoded by ImageIO; fails unless it is {@code width} by {@code height}. */
    static BufferedImage png(Path file, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode as an image");
        assertEquals(width, image.getWidth(), file + ": width");
        assertEquals(height, image.getHeight(), file + ": height");
        return image;
    }

    /** Pixels of exactly this colour. */
    static int pixels(BufferedImage image, Color colour) {
        int rgb = colour.getRGB() & 0xffffff;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The SVG parsed as XML (without fetching its DTD). */
    static Document svg(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName(), file + ": root element");
        return doc;
    }

    /** Elements drawn in this colour: {@code property} is {@code stroke} (lines) or {@code fill} (areas, markers). */
    static List<Element> drawn(Document svg, String property, Color colour) {
        String style = property + ":rgb(" + colour.getRed() + "," + colour.getGreen() + "," + colour.getBlue() + ")";
        List<Element> found = new ArrayList<>();
        NodeList all = svg.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("style").contains(style)) {
                found.add(e);
            }
        }
        return found;
    }

    static String text(Document svg, String element) {
        NodeList list = svg.getDocumentElement().getElementsByTagName(element);
        assertEquals(1, list.getLength(), "one <" + element + ">");
        return list.item(0).getTextContent();
    }

    /** The directory holds exactly these files (no temporary file left behind). */
    static void holdsExactly(Path dir, String... names) throws Exception {
        List<String> present;
        try (var s = Files.list(dir)) {
            present = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of(names).stream().sorted().toList(), present, "files in " + dir);
        for (String n : names) {
            assertTrue(Files.size(dir.resolve(n)) > 0, n + " is empty");
        }
    }
}
