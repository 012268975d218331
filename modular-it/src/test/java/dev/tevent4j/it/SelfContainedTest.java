package dev.tevent4j.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clone of the project is all a reader has: no source, script or doc may send them to a file
 * outside it (the design notes and research the project grew from are not part of it; what the
 * code relies on is stated in docs/).
 */
class SelfContainedTest {
    /** Names of documents that exist only outside the repository. */
    private static final Pattern OUTSIDE = Pattern.compile(
            String.join("|", outsideNames()));

    /**
     * The names, assembled from parts so that this file does not itself name them: the parent
     * folder of the project's notes, their reference folder, the design and style notes and the
     * research files the early code cited.
     */
    private static String[] outsideNames() {
        String notes = "sha" + "red";
        return new String[] {"\\.\\./" + notes, notes + "/ref" + "erence", "\\bDES" + "IGN\\.md",
            "\\bSTY" + "LE\\.md", "anchors-" + "research", "uring-" + "facts", "hybrid-" + "facts"};
    }

    @Test
    void noFileRefersToDocumentsOutsideTheProject() throws IOException {
        Path top = Path.of(System.getProperty("user.dir")).getParent();
        assertTrue(Files.isRegularFile(top.resolve("README.md")), "the project's top is " + top);
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(top)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).filter(SelfContainedTest::isProjectText)::iterator) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(p);
                } catch (MalformedInputException binary) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++) {
                    if (OUTSIDE.matcher(lines.get(i)).find()) hits.add(top.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(hits.isEmpty(), "references to files outside the project:\n" + String.join("\n", hits));
    }

    private static boolean isProjectText(Path p) {
        String s = p.toString();
        if (s.contains("/target/") || s.contains("/.git/") || s.contains("/bench/results/")) return false;
        return s.matches(".*\\.(java|md|sh|py|c|h|xml|properties|txt)$") || s.contains("/bin/") || s.contains("/.ci/");
    }
}
