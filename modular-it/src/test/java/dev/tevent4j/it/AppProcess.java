package dev.tevent4j.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the test application in a JVM of its own: its exit code, stdout and stderr. */
record AppProcess(List<String> command, int exit, String out, String err) {

    static AppProcess run(List<String> javaArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaArgs);
        Path out = Files.createTempFile("tevent4j-app", ".out");
        Path err = Files.createTempFile("tevent4j-app", ".err");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the application did not exit in 60 s: " + cmd);
            }
            return new AppProcess(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    boolean stderrHasWarning() {
        return err.lines().anyMatch(l -> l.contains("WARNING"));
    }

    /** For assertion messages: everything a reader needs to rerun and see. */
    String describe() {
        return "command: " + String.join(" ", command) + "\nexit: " + exit + "\nstdout:\n" + out + "stderr:\n" + err;
    }
}
