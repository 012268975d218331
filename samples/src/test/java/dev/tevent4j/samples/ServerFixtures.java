package dev.tevent4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Set-up the sample server tests share: loopback options and a served tree with an escape route. */
final class ServerFixtures {
    private ServerFixtures() {}

    /** Sets {@code options} to serve on 127.0.0.1, on a free port, with {@code threads} loops. */
    static void loopback(ServerOptions options, String backend, int threads) {
        options.backend = backend;
        options.port = 0;
        options.bind = "127.0.0.1";
        options.threads = threads;
    }

    /**
     * Creates {@code dir/name} to serve, with a file outside it ({@code dir/secret.txt}) that the
     * symlink {@code escapeLink} inside points to: a server must refuse both routes out.
     */
    static Path rootWithEscape(Path dir, String name, String escapeLink) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve(escapeLink), dir.resolve("secret.txt"));
        return root;
    }

    /** Writes {@code size} random bytes (reproducible from {@code seed}) to {@code file}; returns them. */
    static byte[] randomFile(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        return data;
    }
}
