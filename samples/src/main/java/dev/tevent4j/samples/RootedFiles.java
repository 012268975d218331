package dev.tevent4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves request paths under a root directory and refuses every path that leaves it: absolute
 * paths, NUL bytes, any ".." component, and symlinks whose target is outside the root (the
 * resolved real path must start with the root's real path). Shared by fileserve and httpd.
 */
public final class RootedFiles {
    /** Why a path was refused, or the resolved regular file. */
    public record Resolved(Path file, long size, boolean forbidden) {}

    private final Path root;

    public RootedFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root is not a directory: " + root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /**
     * The regular file {@code relative} names, or null when there is none (missing, a directory,
     * a special file); {@code forbidden} set when the path leaves the root.
     */
    public Resolved resolve(String relative) {
        if (relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.startsWith("/")) return new Resolved(null, 0, true);
        for (String part : relative.split("/")) {
            if (part.equals("..")) return new Resolved(null, 0, true);
        }
        try {
            Path p = root.resolve(relative).toRealPath(); // follows symlinks: checked below
            if (!p.startsWith(root)) return new Resolved(null, 0, true);
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return null;
            return new Resolved(p, Files.size(p), false);
        } catch (NoSuchFileException | InvalidPathException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
