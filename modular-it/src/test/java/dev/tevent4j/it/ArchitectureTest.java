package dev.tevent4j.it;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package rules of tevent4j, checked on the bytecode of every main class (core, ring, kit,
 * the backends, smb, samples, bench: this module's test class path has them all). A violation
 * names the class, the member and the line.
 */
class ArchitectureTest {
    private static final String INTERNAL = "dev.tevent4j.internal..";
    private static final String[] CORE_PACKAGES = {"dev.tevent4j", "dev.tevent4j.internal..", "dev.tevent4j.spi..", "dev.tevent4j.linux.."};
    private static final String[] OUTSIDE_CORE = {"dev.tevent4j.ring..", "dev.tevent4j.epoll..", "dev.tevent4j.hybrid..",
            "dev.tevent4j.uring..", "dev.tevent4j.smb..", "dev.tevent4j.samples..", "dev.tevent4j.contract..", "dev.tevent4j.bench.."};

    static JavaClasses tevent4j;

    @BeforeAll
    static void importClasses() {
        tevent4j = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tevent4j");
        // A rule over nothing proves nothing: every module's classes must be here.
        for (String pkg : new String[] {"dev.tevent4j", "dev.tevent4j.internal", "dev.tevent4j.spi", "dev.tevent4j.linux",
                "dev.tevent4j.ring", "dev.tevent4j.epoll", "dev.tevent4j.hybrid", "dev.tevent4j.uring",
                "dev.tevent4j.smb", "dev.tevent4j.samples", "dev.tevent4j.contract", "dev.tevent4j.bench.micro"}) {
            assertTrue(tevent4j.containPackage(pkg), "no classes imported from " + pkg);
        }
    }

    /**
     * One slice per top-level package under dev.tevent4j, and the API package dev.tevent4j
     * itself as the slice "api" (the pattern dev.tevent4j.(*).. alone would leave it out).
     */
    private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (pkg.equals("dev.tevent4j")) return SliceIdentifier.of("api");
            if (!pkg.startsWith("dev.tevent4j.")) return SliceIdentifier.ignore();
            String rest = pkg.substring("dev.tevent4j.".length());
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "the API package and each package dev.tevent4j.(*)..";
        }
    };

    @Test
    void noCyclesBetweenPackages() {
        ArchRule rule = slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles();
        rule.check(tevent4j);
    }

    @Test
    void internalIsUsedOnlyByCore() {
        ArchRule rule = classes().that().resideInAPackage(INTERNAL)
                .should().onlyHaveDependentClassesThat().resideInAnyPackage(CORE_PACKAGES)
                .because("dev.tevent4j.internal is core's machinery: no other module may depend on it");
        rule.check(tevent4j);
    }

    @Test
    void theApiDependsOnNoImplementation() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.tevent4j")
                .should().dependOnClassesThat().resideInAnyPackage(
                        INTERNAL, "dev.tevent4j.ring..", "dev.tevent4j.epoll..", "dev.tevent4j.hybrid..",
                        "dev.tevent4j.uring..", "dev.tevent4j.smb..", "dev.tevent4j.samples..", "dev.tevent4j.bench..")
                .because("the API reaches the machinery through the EventLoopBase.Bootstrap service only");
        rule.check(tevent4j);
    }

    @Test
    void spiAndLinuxDoNotDependOnInternal() {
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.tevent4j.spi..", "dev.tevent4j.linux..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL);
        rule.check(tevent4j);
    }

    @Test
    void ringBackendsKitSmbSamplesAndBenchDoNotDependOnInternal() {
        ArchRule rule = noClasses().that().resideInAnyPackage(OUTSIDE_CORE)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("backends, the ring, the kit, smb, samples and bench see the loop through the API and spi.LoopServices");
        rule.check(tevent4j);
    }
}
