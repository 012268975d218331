package dev.tevent4j.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -V}/{@code --version} on the top command and every subcommand, and {@code backends --help}. */
class VersionAndHelpTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-V", "--version", "backends -V", "echo-server --version", "httpd -V", "fileserve -V", "echo-client -V", "fileget -V", "profile -V"})
    void everyCommandPrintsTheTevent4jVersion(String args) {
        Run r = run(args.split(" "));
        assertEquals(0, r.exit(), r.err());
        String first = r.out().lines().findFirst().orElse("");
        assertTrue(first.startsWith("tevent4j "), r.out());
        String version = first.substring("tevent4j ".length());
        assertEquals(VersionProvider.version(), version);
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?") || version.equals(VersionProvider.UNKNOWN), version);
        assertTrue(r.out().contains("Java " + Runtime.version()), r.out());
    }

    @Test
    void anUnfilteredResourceIsNoVersion() {
        assertFalse(VersionProvider.usable("${project.version}"));
        assertFalse(VersionProvider.usable(" "));
        assertFalse(VersionProvider.usable(null));
        assertTrue(VersionProvider.usable("0.1.0-SNAPSHOT"));
    }

    @Test
    void backendsHelpWorks() {
        Run r = run("backends", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage: tevent4j backends"), r.out());
        assertTrue(r.out().contains("--version"), r.out());
    }
}
