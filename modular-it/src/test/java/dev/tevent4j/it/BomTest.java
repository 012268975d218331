package dev.tevent4j.it;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BOM has no parent (it must not leak the parent's imports into users' builds), so nothing
 * in Maven keeps it in step: this does. Same version as the parent, every library module
 * listed at the project version, nothing else.
 */
class BomTest {
    /** Reactor modules that are not published libraries. */
    private static final Set<String> NOT_LIBRARIES = Set.of("smb", "samples", "bench", "bom", "modular-it");

    @Test
    void theBomListsEveryLibraryModuleAtTheParentsVersion() throws Exception {
        Path top = Path.of("..").toAbsolutePath().normalize();
        Document parent = parse(top.resolve("pom.xml"));
        Document bom = parse(top.resolve("bom/pom.xml"));

        assertNull(child(bom.getDocumentElement(), "parent"), "the BOM must not have a parent");
        assertEquals(text(parent.getDocumentElement(), "version"), text(bom.getDocumentElement(), "version"),
                "bom/pom.xml's version must move with the parent's");

        Set<String> libraries = new TreeSet<>();
        for (Element m : children(child(parent.getDocumentElement(), "modules"), "module")) {
            String dir = m.getTextContent().trim();
            if (NOT_LIBRARIES.contains(dir)) continue;
            Document pom = parse(top.resolve(dir).resolve("pom.xml"));
            libraries.add(text(pom.getDocumentElement(), "artifactId"));
        }
        Set<String> listed = new TreeSet<>();
        Element managed = child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies");
        for (Element d : children(managed, "dependency")) {
            assertEquals("dev.tevent4j", text(d, "groupId"));
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId") + " in the BOM");
            listed.add(text(d, "artifactId"));
        }
        assertEquals(libraries, listed, "the BOM lists exactly the library modules");
        assertTrue(listed.contains("tevent4j-kit"), "the kit is published for backend authors");
    }

    private static Document parse(Path pom) throws Exception {
        assertTrue(Files.isRegularFile(pom), pom + " is missing");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) out.add(e);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
