package dev.tevent4j.samples;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which backend the samples open: --backend, else -Dtevent4j.backend, else TEVENT4J_BACKEND,
 * else the default with its fallback (EventLoop.open()'s rule); an unknown name and an unusable
 * backend refused with different messages and exit code 2. The property and the environment
 * need a fresh JVM each ({@link MainChild}); io_uring is refused there with
 * -Dtevent4j.io_uring.inject=EPERM, as a kernel with io_uring disabled refuses it.
 */
@Timeout(120)
class BackendSelectionTest {
    static final String NO_URING = "-Dtevent4j.io_uring.inject=EPERM";

    @TempDir
    Path dir;

    /** The line a server prints when it listens names the backend its loops run on. */
    private static String backendOf(MainChild server) throws Exception {
        if (!server.isAlive()) throw new AssertionError("server exited " + server.exitValue() + ": " + server.stderr());
        var m = java.util.regex.Pattern.compile("on backend (\\S+),").matcher(server.stdout());
        if (!m.find()) throw new AssertionError("no backend in: " + server.stdout());
        return m.group(1);
    }

    private MainChild echoServer(List<String> jvm, Map<String, String> env, String... extra) throws Exception {
        String[] args = new String[extra.length + 5];
        System.arraycopy(new String[] {"echo-server", "--port", "0", "--threads", "2"}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return MainChild.start(dir, jvm, env, args);
    }

    private static String defaultBackend() {
        return EventLoop.availableBackends().stream().filter(Backend::isDefault).map(Backend::name).findFirst().orElseThrow();
    }

    @Test
    void unknownFlagNamesTheKnownBackends() {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("echo-server", "--backend", "nope", "--port", "0"));
        String msg = err.toString();
        assertTrue(msg.startsWith("echo-server: --backend nope: no backend of that name; known backends: "), msg);
        for (Backend b : EventLoop.availableBackends()) assertTrue(msg.contains(b.name()), msg);
        assertEquals(1, msg.strip().lines().count(), "one line, no stack trace: " + msg);
    }

    @Test
    void withoutAChoiceTheDefaultIsOpened() throws Exception {
        try (MainChild s = echoServer(List.of(), Map.of())) {
            assertEquals(defaultBackend(), backendOf(s));
        }
    }

    @Test
    void thePropertyChoosesAndTheFlagOverridesIt() throws Exception {
        try (MainChild s = echoServer(List.of("-Dtevent4j.backend=epoll"), Map.of())) {
            assertEquals("epoll", backendOf(s));
        }
        // The flag wins over a property that names nothing: the property is not even checked.
        try (MainChild s = echoServer(List.of("-Dtevent4j.backend=nope"), Map.of(), "--backend", "epoll")) {
            assertEquals("epoll", backendOf(s));
        }
    }

    @Test
    void theEnvironmentChoosesAndThePropertyOverridesIt() throws Exception {
        try (MainChild s = echoServer(List.of(), Map.of(BackendChoice.ENV, "epoll"))) {
            assertEquals("epoll", backendOf(s));
        }
        assumeTrue(EventLoop.backends().contains("hybrid"), "hybrid is not usable here: " + EventLoop.availableBackends());
        try (MainChild s = echoServer(List.of("-Dtevent4j.backend=hybrid"), Map.of(BackendChoice.ENV, "epoll"))) {
            assertEquals("hybrid", backendOf(s));
        }
    }

    @Test
    void unknownNamesFromThePropertyOrTheEnvironmentSayWhereTheyCameFrom() throws Exception {
        try (MainChild s = echoServer(List.of("-Dtevent4j.backend=nope"), Map.of())) {
            assertEquals(2, s.exitValue());
            assertTrue(s.stderr().startsWith("echo-server: -Dtevent4j.backend=nope: no backend of that name; known backends: "), s.stderr());
        }
        try (MainChild s = echoServer(List.of(), Map.of(BackendChoice.ENV, "nope"))) {
            assertEquals(2, s.exitValue());
            assertTrue(s.stderr().startsWith("echo-server: TEVENT4J_BACKEND=nope: no backend of that name; known backends: "), s.stderr());
        }
    }

    @Test
    void anUnusableBackendIsRefusedWithItsReason() throws Exception {
        try (MainChild s = echoServer(List.of(NO_URING), Map.of(), "--backend", "uring")) {
            assertEquals(2, s.exitValue());
            String err = s.stderr();
            assertTrue(err.startsWith("echo-server: --backend uring: that backend is not usable here: io_uring_setup failed: EPERM"), err);
            assertTrue(err.strip().endsWith("; usable: epoll"), err);
            assertFalse(err.contains("no backend of that name"), err);
            assertEquals(1, err.strip().lines().count(), "one line, no stack trace: " + err);
        }
        try (MainChild s = echoServer(List.of(NO_URING), Map.of(BackendChoice.ENV, "hybrid"))) {
            assertEquals(2, s.exitValue());
            assertTrue(s.stderr().startsWith("echo-server: TEVENT4J_BACKEND=hybrid: that backend is not usable here: io_uring_setup failed: EPERM"), s.stderr());
        }
    }

    @Test
    void theDefaultFallsBackWhenIoUringIsRefused() throws Exception {
        try (MainChild s = echoServer(List.of(NO_URING), Map.of())) {
            assertEquals("epoll", backendOf(s));
        }
    }

    @Test
    void everyServerAndTheClientTakeTheSameRule(@TempDir Path root) throws Exception {
        for (String command : List.of("fileserve", "httpd")) {
            try (MainChild s = MainChild.start(dir, List.of(NO_URING), Map.of(), command, "--root", root.toString(),
                    "--port", "0", "--threads", "1", "--backend", "hybrid")) {
                assertEquals(2, s.exitValue(), command);
                assertTrue(s.stderr().startsWith(command + ": --backend hybrid: that backend is not usable here: "), s.stderr());
            }
        }
        try (MainChild c = MainChild.start(dir, List.of("-Dtevent4j.backend=nope"), Map.of(), "echo-client", "--port", "1")) {
            assertEquals(2, c.exitValue());
            assertTrue(c.stderr().startsWith("echo-client: -Dtevent4j.backend=nope: no backend of that name"), c.stderr());
        }
    }

    @Test
    void theBackendsCommandSaysWhatOpenWouldOpenAndWhy() throws Exception {
        try (MainChild c = MainChild.start(dir, List.of(), Map.of(BackendChoice.ENV, "epoll"), "backends")) {
            assertEquals(0, c.exitValue(), c.stderr());
            assertTrue(c.stdout().contains("EventLoop.open() opens: epoll (named by TEVENT4J_BACKEND)"), c.stdout());
        }
        try (MainChild c = MainChild.start(dir, List.of("-Dtevent4j.backend=nope"), Map.of(), "backends")) {
            assertEquals(0, c.exitValue(), c.stderr());
            assertTrue(c.stdout().contains("EventLoop.open() fails: -Dtevent4j.backend=nope: no backend of that name"), c.stdout());
        }
        try (MainChild c = MainChild.start(dir, List.of(), Map.of(), "backends")) {
            assertTrue(c.stdout().contains("EventLoop.open() opens: " + defaultBackend() + " (the default)"), c.stdout());
        }
    }
}
