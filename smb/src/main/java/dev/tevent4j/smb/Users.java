package dev.tevent4j.smb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accounts of {@code --users FILE}: one {@code name:password} a line (the password is what
 * follows the first colon; blank lines and lines starting with '#' are skipped). Names match
 * case-insensitively, as Windows account names do.
 */
public final class Users {
    private final Map<String, String> passwords;

    private Users(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /** No accounts: only anonymous and guest sessions. */
    public static Users none() {
        return new Users(Map.of());
    }

    /**
     * Reads the file.
     *
     * @param file the name:password file
     * @return the accounts
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the line that has no colon or an empty name
     */
    public static Users load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--users " + file + ": line " + (i + 1) + " is not name:password");
            map.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1));
        }
        return new Users(Map.copyOf(map));
    }

    /** The password of {@code name}, or null when there is no such account. */
    String password(String name) {
        return passwords.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether any account exists (else every named session is a guest). */
    boolean any() {
        return !passwords.isEmpty();
    }
}
