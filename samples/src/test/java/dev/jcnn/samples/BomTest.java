package dev.jcnn.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM (bom/pom.xml), which has no parent so as not to pin the parent's third-party
 * versions in users' projects, keeps the parent's version and lists every module's artifact.
 */
class BomTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void bomListsEveryModuleAtTheProjectVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(parent, "version"), text(bom, "version"), "bom/pom.xml's version is the parent's");
        assertEquals("pom", text(bom, "packaging"));
        assertTrue(children(bom, "parent").isEmpty(), "the BOM has no parent");

        Set<String> modules = new LinkedHashSet<>();
        for (Element m : children(children(parent, "modules").get(0), "module")) {
            if (!m.getTextContent().equals("bom")) {
                modules.add(text(read(ROOT.resolve(m.getTextContent()).resolve("pom.xml")), "artifactId"));
            }
        }
        assertFalse(modules.isEmpty());
        Set<String> listed = new LinkedHashSet<>();
        Element managed = children(children(bom, "dependencyManagement").get(0), "dependencies").get(0);
        for (Element d : children(managed, "dependency")) {
            assertEquals("dev.jcnn", text(d, "groupId"), "the BOM lists jcnn's artifacts only");
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId") + "'s version");
            listed.add(text(d, "artifactId"));
        }
        assertEquals(modules, listed, "the BOM's artifacts are the modules'");
    }

    @Test
    void theLibraryPageImportsTheBomAtTheProjectVersion() throws Exception {
        String version = text(read(ROOT.resolve("pom.xml")), "version");
        String page = Files.readString(ROOT.resolve("docs/library.md"));
        assertTrue(page.contains("<artifactId>jcnn-bom</artifactId>\n      <version>" + version + "</version>"),
                "docs/library.md imports jcnn-bom at version " + version);
        for (String artifact : List.of("jcnn-core", "jcnn-cpu-reference", "jcnn-cuda-backend", "jcnn-onnx")) {
            assertTrue(page.contains("<artifactId>" + artifact + "</artifactId>"), "docs/library.md names " + artifact);
        }
    }

    private static Element read(Path pom) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return d.getDocumentElement();
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList all = e.getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            Node n = all.item(i);
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static String text(Element e, String name) {
        List<Element> found = children(e, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().strip();
    }
}
