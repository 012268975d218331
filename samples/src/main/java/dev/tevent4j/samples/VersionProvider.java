package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What {@code bin/tevent4j -V} (and {@code --version} on every subcommand) prints: the tevent4j
 * version, then the JVM and OS it runs on. The version is the library's: the
 * {@code Implementation-Version} of the jar that holds {@link EventLoop}; when the classes
 * come from a directory (as {@code bin/tevent4j} runs the samples from target/classes, or an
 * IDE runs everything), the samples' own {@value #RESOURCE}, which Maven filters with
 * {@code ${project.version}}; an unfiltered copy (still holding the placeholder) counts as
 * none, and the version is then reported unknown rather than guessed.
 */
public final class VersionProvider implements IVersionProvider {
    /** The samples' version resource, next to this class. */
    static final String RESOURCE = "version.properties";
    /** Printed when neither a manifest nor a filtered resource says the version. */
    static final String UNKNOWN = "unknown (run from classes: no jar manifest, version resource not filtered)";

    @Override
    public String[] getVersion() {
        return new String[] {
            "tevent4j " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + "), "
                    + System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?") + " "
                    + System.getProperty("os.arch", "?")
        };
    }

    /** The tevent4j version, or {@link #UNKNOWN}. */
    public static String version() {
        Package api = EventLoop.class.getPackage();
        String fromManifest = api == null ? null : api.getImplementationVersion();
        if (usable(fromManifest)) return fromManifest;
        String fromResource = fromResource();
        return usable(fromResource) ? fromResource : UNKNOWN;
    }

    private static String fromResource() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | IllegalArgumentException e) {
            return null; // unreadable: as good as absent
        }
    }

    /** A real value: present, and not a Maven placeholder left by a build without filtering. */
    static boolean usable(String version) {
        return version != null && !version.isBlank() && !version.contains("${");
    }
}
