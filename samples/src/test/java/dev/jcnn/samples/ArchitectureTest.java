package dev.jcnn.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.jcnn.backend.OpFamily;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the design (docs/design.md), checked on the main classes of every
 * module. This module sees core, both backends and the CLI, so the rules that span modules
 * live here.
 */
class ArchitectureTest {

    private static final String[] CORE = {"dev.jcnn.backend..", "dev.jcnn.tensor..", "dev.jcnn.layers..",
        "dev.jcnn.model..", "dev.jcnn.train..", "dev.jcnn.data..", "dev.jcnn.io..", "dev.jcnn.zoo.."};
    private static final String[] ABOVE_BACKEND = {"dev.jcnn.layers..", "dev.jcnn.model..", "dev.jcnn.train..",
        "dev.jcnn.data..", "dev.jcnn.io..", "dev.jcnn.zoo..", "dev.jcnn.samples.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // the modules' main classes, from target/classes or, in a later phase, their jars;
        // never their tests or test-jars
        ImportOption mainOnly = location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
        classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("dev.jcnn");
        if (classes.stream().noneMatch(c -> c.getPackageName().equals("dev.jcnn.cpu"))
                || classes.stream().noneMatch(c -> c.getPackageName().equals("dev.jcnn.cuda"))
                || classes.stream().noneMatch(c -> c.getPackageName().equals("dev.jcnn.layers"))) {
            throw new IllegalStateException("the architecture rules need core, cpu and cuda classes; imported "
                    + classes.size() + " classes");
        }
    }

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("dev.jcnn.(*)..").should().beFreeOfCycles()
                .check(classes.that(JavaClass.Predicates.resideInAnyPackage(CORE)));
    }

    @Test
    void modelCodeNeverSeesABackendImplementation() {
        noClasses().that().resideInAnyPackage(ABOVE_BACKEND).and().resideOutsideOfPackage("dev.jcnn.samples..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jcnn.cpu..", "dev.jcnn.cuda..")
                .check(classes);
    }

    @Test
    void backendsNeverSeeALayerOrAModel() {
        noClasses().that().resideInAnyPackage("dev.jcnn.backend..", "dev.jcnn.tensor..", "dev.jcnn.cpu..",
                "dev.jcnn.cuda..").should().dependOnClassesThat().resideInAnyPackage(ABOVE_BACKEND)
                .check(classes);
    }

    @Test
    void theBackendsAreIndependentOfEachOther() {
        noClasses().that().resideInAPackage("dev.jcnn.cpu..").should().dependOnClassesThat()
                .resideInAPackage("dev.jcnn.cuda..").check(classes);
        noClasses().that().resideInAPackage("dev.jcnn.cuda..").should().dependOnClassesThat()
                .resideInAPackage("dev.jcnn.cpu..").check(classes);
    }

    @Test
    void coreDependsOnNothingAboveIt() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("dev.jcnn.cpu..", "dev.jcnn.cuda..", "dev.jcnn.samples..").check(classes);
    }

    @Test
    void librariesLogThroughLog4jApiOnly() {
        noClasses().that().resideOutsideOfPackage("dev.jcnn.samples..").should().dependOnClassesThat()
                .resideInAPackage("org.apache.logging.log4j.core..").check(classes);
    }

    /** A public op of a family is final, so that no backend can skip the checks it runs before the kernel. */
    @Test
    void everyPublicOpOfAFamilyIsFinal() {
        methods().that().areDeclaredInClassesThat().areAssignableTo(OpFamily.class).and()
                .areDeclaredInClassesThat().resideInAPackage("dev.jcnn.backend").and().arePublic().should()
                .beFinal().check(classes);
    }
}
