package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        AtomicFiles.write(f, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(f));
        AtomicFiles.write(dir.resolve("b.txt"), w -> w.write("héllo\n"));
        assertEquals("héllo\n", Files.readString(dir.resolve("b.txt")));
        assertEquals(List.of("a.bin", "b.txt"), files());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.write(f, w -> w.write("old"));
        assertThrows(IOException.class, () -> AtomicFiles.write(f, w -> {
            w.write("half of the new");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("a.txt"), files());
    }

    @Test
    void theFileGetsTheUsualPermissionsNotOnlyTheOwners() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path atomic = dir.resolve("atomic");
        AtomicFiles.write(atomic, new byte[0]);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }
}
