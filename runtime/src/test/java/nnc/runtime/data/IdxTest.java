package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file's bytes: the magic number, the dimensions, then {@code data} as given. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Three 2x2 images: 0, 1, 2, 3 / 100, 101, 102, 103 / 252, 253, 254, 255. */
    static final byte[] PIXELS = {0, 1, 2, 3, 100, 101, 102, 103, (byte) 252, (byte) 253, (byte) 254, (byte) 255};
    static final byte[] IMAGES = idx(Idx.IMAGES, new int[] {3, 2, 2}, PIXELS);

    static void assertImages(Idx.Data d) {
        assertEquals(Idx.UNSIGNED_BYTE, d.type());
        assertArrayEquals(new int[] {3, 2, 2}, d.dims());
        assertEquals(3, d.count());
        assertEquals(4, d.recordSize());
        assertEquals(12, d.length());
        assertEquals(101, d.get(5));
        assertEquals(255, d.get(11));
        double[] scaled = d.toDoubles(0.5);
        assertEquals(127, scaled[10]);
        assertEquals(0.5, scaled[1]);
        assertEquals(12, scaled.length);
    }

    @Test
    void readsUnsignedBytesPlain() throws IOException {
        assertImages(Idx.read(write("images", IMAGES), Idx.IMAGES));
    }

    @Test
    void readsGzipByItsMagicBytesNotByItsName() throws IOException {
        assertImages(Idx.read(write("images", gzip(IMAGES)), Idx.IMAGES));
        assertImages(Idx.read(write("plain.gz", IMAGES), Idx.IMAGES));
    }

    @Test
    void readsLabels() throws IOException {
        Idx.Data d = Idx.read(write("labels.gz", gzip(idx(Idx.LABELS, new int[] {4}, new byte[] {9, 0, 3, 7}))), Idx.LABELS);
        assertArrayEquals(new int[] {4}, d.dims());
        assertEquals(1, d.recordSize());
        assertArrayEquals(new double[] {9, 0, 3, 7}, d.toDoubles(1));
    }

    @Test
    void readsTheOtherElementTypesBigEndian() throws IOException {
        assertArrayEquals(new double[] {-3, 127}, Idx.read(write("b", idx(0x0901, new int[] {2}, new byte[] {-3, 127}))).toDoubles(1));
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 7);
        assertArrayEquals(new double[] {-300, 7}, Idx.read(write("s", idx(0x0B01, new int[] {2}, shorts.array()))).toDoubles(1));
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-70_000).putInt(1 << 30);
        Idx.Data i = Idx.read(write("i", idx(0x0C02, new int[] {1, 2}, ints.array())));
        assertEquals(Idx.INT, i.type());
        assertArrayEquals(new double[] {-70_000, 1 << 30}, i.toDoubles(1));
        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(0.25f).putFloat(-1.5f);
        assertArrayEquals(new double[] {0.5, -3}, Idx.read(write("f", idx(0x0D01, new int[] {2}, floats.array()))).toDoubles(2));
        ByteBuffer doubles = ByteBuffer.allocate(16).putDouble(Math.PI).putDouble(-1e300);
        Idx.Data d = Idx.read(write("d", gzip(idx(0x0E01, new int[] {2}, doubles.array()))));
        assertEquals(Math.PI, d.get(0));
        assertEquals(-1e300, d.get(1));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nothing-here");
        DataException e = assertThrows(DataException.class, () -> Idx.read(missing, Idx.IMAGES));
        assertEquals(missing + ": error[E501]: no such file", e.getMessage());
    }

    @Test
    void theWrongMagicNumberSaysWhatItWasAndWhatWasExpected() throws IOException {
        Path labels = write("labels", idx(Idx.LABELS, new int[] {2}, new byte[] {1, 2}));
        DataException e = assertThrows(DataException.class, () -> Idx.read(labels, Idx.IMAGES));
        assertEquals(labels + ": error[E510]: magic number 0x00000801, expected 0x00000803 (unsigned bytes, 3 dimensions)", e.getMessage());
        Path images = write("images.gz", gzip(IMAGES));
        e = assertThrows(DataException.class, () -> Idx.read(images, Idx.LABELS));
        assertEquals(images + ": error[E510]: magic number 0x00000803, expected 0x00000801 (unsigned bytes, 1 dimension)", e.getMessage());
    }

    @Test
    void somethingElseIsNotAnIdxFile() throws IOException {
        Path text = write("notes.txt", "hello, world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        DataException e = assertThrows(DataException.class, () -> Idx.read(text));
        assertEquals(text + ": error[E510]: not an IDX file: magic number 0x68656C6C, expected 0x000008.. to 0x00000E.. (element type 08 to 0E,"
                + " then at least one dimension)", e.getMessage());
        Path badType = write("bad-type", idx(0x0A01, new int[] {1}, new byte[] {1}));
        e = assertThrows(DataException.class, () -> Idx.read(badType));
        assertTrue(e.getMessage().startsWith(badType + ": error[E510]: not an IDX file: magic number 0x00000A01,"), e.getMessage());
    }

    @Test
    void aTruncatedHeaderSaysHowMuchWasThere() throws IOException {
        Path empty = write("empty", new byte[0]);
        DataException e = assertThrows(DataException.class, () -> Idx.read(empty));
        assertEquals(empty + ": error[E510]: truncated: the IDX header needs at least 4 bytes, found 0", e.getMessage());
        Path shortHeader = write("short", Arrays.copyOf(IMAGES, 10));
        e = assertThrows(DataException.class, () -> Idx.read(shortHeader, Idx.IMAGES));
        assertEquals(shortHeader + ": error[E510]: truncated: the IDX header of 3 dimensions needs 16 bytes, found 10", e.getMessage());
    }

    @Test
    void truncatedDataSaysHowManyBytesAndRecordsWereExpectedAndFound() throws IOException {
        String expected = ": error[E510]: truncated: 3 records of 2x2 unsigned bytes need 12 bytes after the header, found 10 (2 whole records)";
        Path plain = write("plain", Arrays.copyOf(IMAGES, IMAGES.length - 2));
        DataException e = assertThrows(DataException.class, () -> Idx.read(plain, Idx.IMAGES));
        assertEquals(plain + expected, e.getMessage());
        // A complete gzip stream of a truncated file reads the same.
        Path gz = write("complete.gz", gzip(Arrays.copyOf(IMAGES, IMAGES.length - 2)));
        e = assertThrows(DataException.class, () -> Idx.read(gz, Idx.IMAGES));
        assertEquals(gz + expected, e.getMessage());
        Path labels = write("labels", idx(Idx.LABELS, new int[] {5}, new byte[] {1, 2, 3}));
        e = assertThrows(DataException.class, () -> Idx.read(labels, Idx.LABELS));
        assertEquals(labels + ": error[E510]: truncated: 5 records of one unsigned byte need 5 bytes after the header, found 3 (3 whole records)",
                e.getMessage());
    }

    @Test
    void aGzipStreamCutShortIsReportedAsTruncated() throws IOException {
        byte[] big = new byte[100 * 28 * 28];
        new java.util.Random(1).nextBytes(big); // incompressible, so a cut loses data
        byte[] zipped = gzip(idx(Idx.IMAGES, new int[] {100, 28, 28}, big));
        Path cut = write("cut.gz", Arrays.copyOf(zipped, zipped.length / 2));
        DataException e = assertThrows(DataException.class, () -> Idx.read(cut, Idx.IMAGES));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(cut.toString())
                + ": error\\[E510\\]: truncated: 100 records of 28x28 unsigned bytes need 78400 bytes after the header, found [0-9]+ \\([0-9]+ whole records\\);"
                + " the gzip data ends early"), e.getMessage());
        Path noTrailer = write("no-trailer.gz", Arrays.copyOf(zipped, zipped.length - 8));
        e = assertThrows(DataException.class, () -> Idx.read(noTrailer, Idx.IMAGES));
        assertEquals(noTrailer + ": error[E510]: truncated: the gzip data ends after the 100 records, before its checksum", e.getMessage());
    }

    @Test
    void corruptGzipDataIsReported() throws IOException {
        byte[] zipped = gzip(IMAGES);
        zipped[2] = 7; // compression method: not deflate
        Path bad = write("bad.gz", zipped);
        DataException e = assertThrows(DataException.class, () -> Idx.read(bad, Idx.IMAGES));
        assertEquals(bad + ": error[E510]: corrupt gzip data: Unsupported compression method", e.getMessage());
    }

    @Test
    void bytesAfterTheLastRecordAreAnError() throws IOException {
        Path longer = write("longer", Arrays.copyOf(IMAGES, IMAGES.length + 2));
        DataException e = assertThrows(DataException.class, () -> Idx.read(longer, Idx.IMAGES));
        assertEquals(longer + ": error[E510]: 2 bytes after the 3 records the header announces", e.getMessage());
    }
}
