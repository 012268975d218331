package dev.tevent4j.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks Java-side constants and layouts against the system's C headers: it writes a C program
 * that prints each C expression, compiles it with gcc, runs it and compares every value with the
 * one the bindings use. One mismatch fails with the list of all of them.
 */
public final class CHeaderProbe {
    private final List<String> includes = new ArrayList<>();
    private final Map<String, Long> expected = new LinkedHashMap<>();

    public CHeaderProbe include(String header) {
        includes.add(header);
        return this;
    }

    /** Expects the C expression (e.g. {@code offsetof(struct epoll_event, data)}) to equal javaValue. */
    public CHeaderProbe expect(String cExpression, long javaValue) {
        expected.put(cExpression, javaValue);
        return this;
    }

    /** Compiles, runs and compares; fails listing every mismatch. */
    public void verify() throws IOException, InterruptedException {
        Map<String, Long> actual = run();
        List<String> mismatches = new ArrayList<>();
        expected.forEach((expr, javaValue) -> {
            Long c = actual.get(expr);
            if (c == null || c.longValue() != javaValue) {
                mismatches.add(expr + ": C says " + c + ", Java says " + javaValue);
            }
        });
        assertTrue(mismatches.isEmpty(), "bindings disagree with the C headers:\n  " + String.join("\n  ", mismatches));
        assertEquals(expected.size(), actual.size(), "every expression printed");
    }

    private Map<String, Long> run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tevent4j-header-probe");
        try {
            StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n#include <stdio.h>\n#include <stddef.h>\n");
            for (String h : includes) c.append("#include <").append(h).append(">\n");
            c.append("int main(void) {\n");
            int i = 0;
            for (String expr : expected.keySet()) {
                c.append("  printf(\"%d %lld\\n\", ").append(i++).append(", (long long)(").append(expr).append("));\n");
            }
            c.append("  return 0;\n}\n");
            Path src = dir.resolve("probe.c");
            Path exe = dir.resolve("probe");
            Files.writeString(src, c);
            String compileOut = exec(List.of("gcc", "-o", exe.toString(), src.toString()));
            assertTrue(Files.isExecutable(exe), "gcc failed:\n" + compileOut + "\n" + c);
            String out = exec(List.of(exe.toString()));
            List<String> keys = new ArrayList<>(expected.keySet());
            Map<String, Long> actual = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(" ");
                actual.put(keys.get(Integer.parseInt(parts[0])), Long.parseLong(parts[1]));
            }
            return actual;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        return out;
    }
}
