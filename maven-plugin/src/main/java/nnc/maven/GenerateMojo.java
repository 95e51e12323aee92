package nnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Compiles {@code src/main/nn/**}{@code /*.nn} into {@code target/generated-sources/nnc}, a compile source root. */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractNncMojo {
    /** Where the .nn files are. */
    @Parameter(property = "nnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/nn")
    private File sourceDirectory;

    /** Where the generated Java goes. */
    @Parameter(property = "nnc.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/nnc")
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
        return new File(project.getBuild().getDirectory(), "nnc-status/generate.properties");
    }

    @Override
    void addSourceRoot(String path) {
        project.addCompileSourceRoot(path);
    }
}
