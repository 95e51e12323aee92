package nnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Compiles {@code src/test/nn/**}{@code /*.nn} into {@code target/generated-test-sources/nnc}, a test source root. */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public class GenerateTestMojo extends AbstractNncMojo {
    /** Where the test .nn files are. */
    @Parameter(property = "nnc.testSourceDirectory", defaultValue = "${project.basedir}/src/test/nn")
    private File sourceDirectory;

    /** Where their generated Java goes. */
    @Parameter(property = "nnc.testOutputDirectory", defaultValue = "${project.build.directory}/generated-test-sources/nnc")
    private File outputDirectory;

    @Override
    File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    File outputDirectory() {
        return outputDirectory;
    }

    @Override
    File statusFile() {
        return new File(project.getBuild().getDirectory(), "nnc-status/generate-test.properties");
    }

    @Override
    void addSourceRoot(String path) {
        project.addTestCompileSourceRoot(path);
    }
}
