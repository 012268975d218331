package dev.tevent4j.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The built jars as an application uses them: a tiny app with its own module-info
 * ({@code requires dev.tevent4j.core}) runs a timer, an fd event over a pipe and an AsyncIo op
 * on each backend from the module path, then the same code from the class path; neither may
 * make the JVM print a WARNING (native access, sun.misc.Unsafe). With
 * {@code --illegal-native-access=deny} and no grant, every backend is reported unusable with
 * the flag that fixes it, and nothing throws.
 */
class ModularAppTest {
    private static final String CORE = "dev.tevent4j.core", RING = "dev.tevent4j.ring";
    private static final Map<String, String> BACKEND_MODULES = Map.of(
            "epoll", "dev.tevent4j.backend.epoll",
            "hybrid", "dev.tevent4j.backend.hybrid",
            "uring", "dev.tevent4j.backend.uring");
    private static final Pattern LISTED = Pattern.compile("^backend (\\S+) usable=(true|false) reason=(.*)$", Pattern.MULTILINE);

    @TempDir
    static Path tmp;
    static Path modularApp, classPathApp;
    /** Backend name to null when usable here, else why not (as the fully enabled app lists them). */
    static Map<String, String> unusable;

    @BeforeAll
    static void compileTheApp() throws IOException, InterruptedException {
        Path src = tmp.resolve("src");
        copyResource("app/module-info.java", src.resolve("module-info.java"));
        copyResource("app/demo/Main.java", src.resolve("demo/Main.java"));
        modularApp = tmp.resolve("app-module");
        javac("--module-path", BuiltJars.path(), "-d", modularApp.toString(),
                src.resolve("module-info.java").toString(), src.resolve("demo/Main.java").toString());
        classPathApp = tmp.resolve("app-classpath");
        javac("-cp", BuiltJars.path(), "-d", classPathApp.toString(), src.resolve("demo/Main.java").toString());

        AppProcess list = AppProcess.run(modulePathArgs(List.copyOf(BACKEND_MODULES.values()), true, "--list"));
        assertEquals(0, list.exit(), list.describe());
        unusable = listed(list.out());
        assertEquals(BACKEND_MODULES.keySet(), unusable.keySet(), list.describe());
        System.out.println("backends on this machine: " + unusable);
    }

    @ParameterizedTest(name = "{0} on the module path")
    @ValueSource(strings = {"epoll", "hybrid", "uring"})
    void runsOnTheModulePath(String backend) throws Exception {
        if (!backend.equals("epoll")) {
            assumeTrue(unusable.get(backend) == null,
                    () -> "skipped: backend " + backend + " is not usable here: " + unusable.get(backend));
        }
        AppProcess run = AppProcess.run(modulePathArgs(List.of(BACKEND_MODULES.get(backend)), true, backend));
        System.out.println(run.describe());
        assertEquals(0, run.exit(), run.describe());
        assertTrue(run.out().contains("app module-path backend=" + backend + " timer fd-read=1 io-nop=0"), run.describe());
        assertFalse(run.stderrHasWarning(), run.describe());
    }

    @Test
    void runsOnTheClassPath() throws Exception {
        AppProcess run = AppProcess.run(List.of("--enable-native-access=ALL-UNNAMED",
                "-cp", classPathApp + File.pathSeparator + BuiltJars.path(), "demo.Main", "default"));
        System.out.println(run.describe());
        assertEquals(0, run.exit(), run.describe());
        assertTrue(Pattern.compile("app class-path backend=\\w+ timer fd-read=1 io-nop=0").matcher(run.out()).find(), run.describe());
        assertFalse(run.stderrHasWarning(), run.describe());
    }

    @Test
    void deniedNativeAccessOnTheModulePathNamesTheModules() throws Exception {
        List<String> args = new ArrayList<>(List.of("--illegal-native-access=deny"));
        args.addAll(modulePathArgs(List.copyOf(BACKEND_MODULES.values()), false, "--list"));
        AppProcess run = AppProcess.run(args);
        System.out.println(run.describe());
        String flag = "--enable-native-access=dev.tevent4j.core,dev.tevent4j.backend.epoll,"
                + "dev.tevent4j.backend.hybrid,dev.tevent4j.backend.uring,dev.tevent4j.ring";
        assertEveryBackendRefused(run, flag + " (module path)");

        // The advice works as written: the epoll app runs with exactly that flag, no WARNING.
        List<String> again = new ArrayList<>(List.of("--illegal-native-access=deny", flag));
        again.addAll(modulePathArgs(List.copyOf(BACKEND_MODULES.values()), false, "epoll"));
        AppProcess fixed = AppProcess.run(again);
        assertEquals(0, fixed.exit(), fixed.describe());
        assertTrue(fixed.out().contains("app module-path backend=epoll timer fd-read=1 io-nop=0"), fixed.describe());
        assertFalse(fixed.stderrHasWarning(), fixed.describe());
    }

    @Test
    void deniedNativeAccessOnTheClassPathNamesAllUnnamed() throws Exception {
        AppProcess run = AppProcess.run(List.of("--illegal-native-access=deny",
                "-cp", classPathApp + File.pathSeparator + BuiltJars.path(), "demo.Main", "--list"));
        System.out.println(run.describe());
        assertEveryBackendRefused(run, "--enable-native-access=ALL-UNNAMED (class path)");
    }

    private static void assertEveryBackendRefused(AppProcess run, String flag) {
        assertEquals(0, run.exit(), run.describe());
        assertFalse(run.err().contains("Exception") || run.err().contains("Error"), run.describe());
        Map<String, String> refused = listed(run.out());
        assertEquals(BACKEND_MODULES.keySet(), refused.keySet(), run.describe());
        refused.forEach((name, reason) -> {
            assertTrue(reason != null && reason.contains("native access is not enabled"), name + ": " + reason);
            assertTrue(reason.contains(flag), name + " should name " + flag + ": " + reason);
        });
    }

    /**
     * --module-path with the library and the app, --add-modules for the backends, and (when
     * {@code grant}) --enable-native-access for exactly the tevent4j modules that resolve:
     * core, the ring when a backend needs it, the backends and what they require.
     */
    private static List<String> modulePathArgs(List<String> backendModules, boolean grant, String appArg) {
        List<String> enabled = new ArrayList<>(List.of(CORE));
        for (String m : backendModules) {
            if (!m.endsWith(".epoll") && !enabled.contains(RING)) enabled.add(RING);
            if (m.endsWith(".hybrid") && !enabled.contains(BACKEND_MODULES.get("epoll"))) enabled.add(BACKEND_MODULES.get("epoll"));
            if (!enabled.contains(m)) enabled.add(m);
        }
        List<String> args = new ArrayList<>();
        args.add("--module-path");
        args.add(BuiltJars.path() + File.pathSeparator + modularApp);
        args.add("--add-modules");
        args.add(String.join(",", backendModules));
        if (grant) args.add("--enable-native-access=" + String.join(",", enabled));
        args.addAll(List.of("-m", "app/demo.Main", appArg));
        return args;
    }

    private static Map<String, String> listed(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = LISTED.matcher(out);
        while (x.find()) m.put(x.group(1), Boolean.parseBoolean(x.group(2)) ? null : x.group(3));
        return m;
    }

    private static void javac(String... args) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args);
        assertEquals(0, rc, "javac " + String.join(" ", args) + "\n" + diagnostics.toString(StandardCharsets.UTF_8));
    }

    private static void copyResource(String name, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = ModularAppTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("test resource " + name + " is missing");
            Files.copy(in, to);
        }
    }
}
