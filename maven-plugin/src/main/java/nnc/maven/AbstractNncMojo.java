package nnc.maven;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import nnc.Compiler;
import nnc.codegen.Precision;
import nnc.diag.Diagnostic;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.runtime.AtomicFiles;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What both goals share: find the .nn files, compile the stale ones through {@link Compiler} (the
 * API the command line uses), write their classes, forget the classes of deleted files, and add the
 * output folder to the project's source roots. No compiler logic lives here.
 */
abstract class AbstractNncMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** Files to compile, as globs relative to the source folder. */
    @Parameter
    private List<String> includes = List.of("**/*.nn");

    /** Files not to compile, as globs relative to the source folder. */
    @Parameter
    private List<String> excludes = List.of();

    /**
     * The Java package of every generated class. By default each file's folder below the source
     * folder: {@code src/main/nn/com/example/m.nn} becomes {@code com.example}.
     */
    @Parameter(property = "nnc.packageName")
    private String packageName;

    /** {@code float} or {@code double}. */
    @Parameter(property = "nnc.precision", defaultValue = "float")
    private String precision;

    /** The largest batch the classes accept; by default each file's own train batch (32 if none). */
    @Parameter(property = "nnc.maxBatch")
    private Integer maxBatch;

    /**
     * SIMD code with the Vector API (much faster), which the project must then compile and run with
     * {@code --add-modules jdk.incubator.vector}; by default plain scalar loops, which need no flag.
     */
    @Parameter(property = "nnc.vector", defaultValue = "false")
    private boolean vector;

    /** Fail the build on warnings too, such as a parameter the loss does not depend on. */
    @Parameter(property = "nnc.failOnWarning", defaultValue = "false")
    private boolean failOnWarning;

    /** Skip this goal. */
    @Parameter(property = "nnc.skip", defaultValue = "false")
    private boolean skip;

    abstract File sourceDirectory();

    abstract File outputDirectory();

    /** Where the goal remembers which .nn file produced which class. */
    abstract File statusFile();

    abstract void addSourceRoot(String path);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("nnc: skipped");
            return;
        }
        Path sources = sourceDirectory().toPath();
        Path output = outputDirectory().toPath();
        // The folder is a source root even when nothing is regenerated, so that javac sees the classes.
        addSourceRoot(output.toString());
        Precision p = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "float" -> Precision.FLOAT;
            case "double" -> Precision.DOUBLE;
            default -> throw new MojoFailureException("nnc: precision must be float or double, not '" + precision + "'");
        };
        if (maxBatch != null && maxBatch < 1) {
            throw new MojoFailureException("nnc: maxBatch must be at least 1, not " + maxBatch);
        }
        String fingerprint = "package=" + packageName + ";precision=" + p + ";maxBatch=" + maxBatch + ";vector=" + vector;
        try {
            Files.createDirectories(output);
            Status status = Status.read(statusFile().toPath());
            boolean configChanged = !fingerprint.equals(status.fingerprint);
            List<Path> files = Files.isDirectory(sources) ? find(sources) : List.of();
            Map<String, String> produced = new TreeMap<>();
            int compiled = 0;
            int errors = 0;
            int warnings = 0;
            for (Path nn : files) {
                String key = sources.relativize(nn).toString().replace(File.separatorChar, '/');
                String previous = status.outputs.get(key);
                if (!configChanged && previous != null && upToDate(nn, output.resolve(previous))) {
                    produced.put(key, previous);
                    continue;
                }
                Reporter reporter = new Reporter(null);
                // Messages name the file relative to the project, as the user sees it.
                Path shown = project.getBasedir() == null ? nn : project.getBasedir().toPath().relativize(nn);
                Source source = new Source(shown.toString(), Files.readString(nn, StandardCharsets.UTF_8));
                Compiler.Options options = new Compiler.Options(packageFor(sources, nn), null, p, maxBatch, vector);
                Compiler.Result result = Compiler.compile(source, options, reporter);
                for (Diagnostic d : reporter.diagnostics()) {
                    if (d.severity() == Diagnostic.Severity.ERROR) {
                        getLog().error(d.format());
                        errors++;
                    } else {
                        getLog().warn(d.format());
                        warnings++;
                    }
                }
                if (result == null) {
                    continue;
                }
                String relative = result.qualifiedName().replace('.', '/') + ".java";
                AtomicFiles.write(output.resolve(relative), result.javaFile()::writeTo);
                if (previous != null && !previous.equals(relative)) {
                    Files.deleteIfExists(output.resolve(previous)); // the model was renamed
                }
                produced.put(key, relative);
                compiled++;
            }
            int removed = 0;
            for (Map.Entry<String, String> e : status.outputs.entrySet()) {
                if (!produced.containsKey(e.getKey()) && !produced.containsValue(e.getValue())
                        && !Files.exists(sources.resolve(e.getKey()))) {
                    Files.deleteIfExists(output.resolve(e.getValue()));
                    getLog().info("nnc: removed " + e.getValue() + " (its " + e.getKey() + " is gone)");
                    removed++;
                }
            }
            new Status(fingerprint, produced).write(statusFile().toPath());
            if (errors > 0 || (failOnWarning && warnings > 0)) {
                throw new MojoFailureException("nnc: " + errors + " error(s)" + (warnings > 0 ? " and " + warnings + " warning(s)" : "")
                        + " in .nn files under " + sources + "; see the messages above");
            }
            if (compiled == 0 && removed == 0) {
                getLog().info("nnc: all " + files.size() + " model(s) are up to date");
            } else if (compiled == 0) {
                getLog().info("nnc: the other " + files.size() + " model(s) are up to date");
            } else {
                getLog().info("nnc: compiled " + compiled + " of " + files.size() + " model(s) into " + output);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: " + e.getMessage(), e);
        }
    }

    private List<Path> find(Path root) throws IOException {
        FileSystem fs = FileSystems.getDefault();
        List<PathMatcher> in = includes.stream().map(g -> fs.getPathMatcher("glob:" + g)).toList();
        List<PathMatcher> out = excludes.stream().map(g -> fs.getPathMatcher("glob:" + g)).toList();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = root.relativize(p);
                // "**/*.nn" should also match files directly in the root, as Ant-style globs do.
                boolean included = in.stream().anyMatch(m -> m.matches(rel) || m.matches(Path.of("x").resolve(rel)));
                boolean excluded = out.stream().anyMatch(m -> m.matches(rel) || m.matches(Path.of("x").resolve(rel)));
                if (included && !excluded) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    private static boolean upToDate(Path nn, Path generated) throws IOException {
        return Files.exists(generated) && Files.getLastModifiedTime(generated).compareTo(Files.getLastModifiedTime(nn)) >= 0;
    }

    /** The configured package, or the file's folder below the source folder, dotted. */
    private String packageFor(Path sources, Path nn) {
        if (packageName != null) {
            return packageName;
        }
        Path dir = sources.relativize(nn).getParent();
        return dir == null ? "" : dir.toString().replace(File.separatorChar, '.');
    }

    /** Which .nn file produced which Java file, and with what configuration. */
    private record Status(String fingerprint, Map<String, String> outputs) {
        static Status read(Path file) throws IOException {
            Properties p = new Properties();
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            Map<String, String> outputs = new TreeMap<>();
            for (String key : p.stringPropertyNames()) {
                if (!key.equals("%config")) {
                    outputs.put(key, p.getProperty(key));
                }
            }
            return new Status(p.getProperty("%config"), outputs);
        }

        void write(Path file) throws IOException {
            Properties p = new Properties();
            p.putAll(outputs);
            if (fingerprint != null) {
                p.setProperty("%config", fingerprint);
            }
            AtomicFiles.write(file, (Writer w) -> p.store(w, "nnc: .nn file = generated Java file"));
        }
    }
}
