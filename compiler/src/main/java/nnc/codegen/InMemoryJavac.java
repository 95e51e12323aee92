package nnc.codegen;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import nnc.runtime.Model;

/**
 * Compiles generated source to classes in memory with javax.tools and loads them, for
 * {@code nnc train} and for tests. The class path is the runtime's location, which is all that
 * generated code may depend on.
 */
public final class InMemoryJavac {
    private InMemoryJavac() {}

    private static final String INCUBATING = "compiler.warn.incubating.modules";

    /** javac's diagnostics, when the generated source does not compile cleanly. */
    public static final class CompileException extends Exception {
        private static final long serialVersionUID = 1L;

        CompileException(String message) {
            super(message);
        }
    }

    /** The result: the loaded class and javac's warnings (empty for well-formed generated code). */
    public record Compiled(Class<?> type, List<String> warnings) {
        /** A new instance, as a {@link Model}. */
        public Model newModel() {
            try {
                return (Model) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate " + type.getName(), e);
            }
        }
    }

    /** Compiles {@code source}, declaring the class {@code qualifiedName}, with all lint warnings on. */
    public static Compiled compile(String qualifiedName, String source) throws CompileException {
        return compileAll(java.util.Map.of(qualifiedName, source)).get(qualifiedName);
    }

    /**
     * Compiles several classes in one javac run (much faster than one run each), keyed by their
     * qualified names. Warnings are reported with every class.
     */
    public static Map<String, Compiled> compileAll(Map<String, String> sources) throws CompileException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompileException("no Java compiler in this runtime: run nnc with a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        var manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<JavaFileObject> files = new ArrayList<>();
        sources.forEach((qualifiedName, source) -> files.add(new SimpleJavaFileObject(
                URI.create("string:///" + qualifiedName.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        }));
        // SIMD code imports jdk.incubator.vector, which javac resolves only when asked to.
        List<String> options = List.of("-Xlint:all", "-proc:none", "-classpath", runtimeClassPath(), "--release", "17",
                "--add-modules", "jdk.incubator.vector");
        boolean ok = javac.getTask(null, manager, diagnostics, options, null, files).call();
        List<String> warnings = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (INCUBATING.equals(d.getCode())) {
                continue; // "using incubating module(s)": said of every compilation that adds the module
            }
            String where = d.getSource() == null ? "" : d.getSource().getName() + ", ";
            String text = where + "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append(text).append('\n');
            } else {
                warnings.add(text);
            }
        }
        if (!ok) {
            throw new CompileException("generated source of " + sources.keySet() + " does not compile:\n" + errors);
        }
        ClassLoader loader = new ClassLoader(Model.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        Map<String, Compiled> result = new HashMap<>();
        for (String qualifiedName : sources.keySet()) {
            try {
                result.put(qualifiedName, new Compiled(loader.loadClass(qualifiedName), warnings));
            } catch (ClassNotFoundException e) {
                throw new CompileException("javac produced no class " + qualifiedName);
            }
        }
        return result;
    }

    /** Where {@code nnc.runtime} lives: a jar, or a classes folder when run from a build. */
    static String runtimeClassPath() {
        try {
            return Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path", "") + File.pathSeparator;
        }
    }
}
