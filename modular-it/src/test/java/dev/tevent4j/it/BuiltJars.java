package dev.tevent4j.it;

import java.io.File;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The library modules as this test's own class path has them: in a reactor {@code verify} the
 * upstream modules' target/*.jar, in a {@code test} run their target/classes (both are modules
 * that {@link ModuleFinder} reads), plus the JCTools jars.
 */
final class BuiltJars {
    /** Module name to path, for tevent4j's library modules and their JCTools dependencies. */
    static final Map<String, Path> MODULES = find();

    private BuiltJars() {}

    private static Map<String, Path> find() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.exists(p)) continue;
            Optional<String> name = moduleName(p);
            if (name.isEmpty()) continue;
            String n = name.get();
            boolean library = n.startsWith("dev.tevent4j.") && !n.equals("dev.tevent4j.kit");
            if (library || n.startsWith("org.jctools.")) found.putIfAbsent(n, p);
        }
        return found;
    }

    private static Optional<String> moduleName(Path p) {
        try {
            return ModuleFinder.of(p).findAll().stream().findFirst()
                    .map(ModuleReference::descriptor).map(d -> d.name());
        } catch (RuntimeException e) {
            return Optional.empty(); // not a module, nor a jar an automatic name can be made of
        }
    }

    static Path of(String module) {
        Path p = MODULES.get(module);
        if (p == null) throw new IllegalStateException("module " + module + " is not on the test class path: " + MODULES);
        return p;
    }

    /** Every library module and JCTools, joined for --module-path or -cp. */
    static String path() {
        StringBuilder sb = new StringBuilder();
        for (Path p : MODULES.values()) {
            if (!sb.isEmpty()) sb.append(File.pathSeparator);
            sb.append(p);
        }
        return sb.toString();
    }
}
