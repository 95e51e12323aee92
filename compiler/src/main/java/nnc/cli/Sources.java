package nnc.cli;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import nnc.diag.Code;
import nnc.diag.Source;
import nnc.runtime.AtomicFiles;

/** Reading .nn files and writing generated Java, with clear messages and atomic writes. */
final class Sources {
    private Sources() {}

    /** The file's text, or null after printing why it cannot be read. */
    static Source read(String path, PrintStream err) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of(path));
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new Source(path, text);
        } catch (NoSuchFileException e) {
            err.println(Main.error(path, Code.E820, "no such file"));
        } catch (CharacterCodingException e) {
            err.println(Main.error(path, Code.E821, "not UTF-8 text"));
        } catch (IOException | RuntimeException e) {
            err.println(Main.error(path, Code.E822, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    /** Why a file operation failed, in words: Java's exceptions often carry only a path. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
            return e.getMessage() + " is not a folder";
        } else if (e instanceof NoSuchFileException) {
            return "no such folder: " + e.getMessage();
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Writes a Java file below {@code dir} in its package's folders: to a temporary file first,
     * then renamed, so a reader never sees half a class.
     */
    static Path writeJava(Path dir, JavaFile file) throws IOException {
        Path folder = dir;
        if (!file.packageName().isEmpty()) {
            for (String part : file.packageName().split("\\.")) {
                folder = folder.resolve(part);
            }
        }
        Path target = folder.resolve(file.typeSpec().name() + ".java");
        AtomicFiles.write(target, file::writeTo);
        return target;
    }
}
