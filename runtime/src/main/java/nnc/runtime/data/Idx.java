package nnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import nnc.runtime.ErrorCode;

/**
 * Files in the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed (told apart by the
 * gzip magic bytes, not by the name). An IDX file is a big-endian header, the magic number
 * {@code 0x0000TTDD} (TT the element type, DD the number of dimensions) and DD 32-bit sizes,
 * followed by the elements, row-major, big-endian.
 */
public final class Idx {
    private Idx() {}

    /** Unsigned bytes, 0..255: MNIST's pixels and labels. */
    public static final int UNSIGNED_BYTE = 0x08;
    public static final int SIGNED_BYTE = 0x09;
    public static final int SHORT = 0x0B;
    public static final int INT = 0x0C;
    public static final int FLOAT = 0x0D;
    public static final int DOUBLE = 0x0E;

    /** The magic number of unsigned-byte labels: one dimension. */
    public static final int LABELS = 0x00000801;
    /** The magic number of unsigned-byte images: three dimensions (count, rows, columns). */
    public static final int IMAGES = 0x00000803;

    private static final int CHUNK = 1 << 16;

    /**
     * An IDX file's contents: the element type, the dimensions (the first counts the records) and
     * the elements as the file stores them, big-endian.
     */
    public static final class Data {
        private final String source;
        private final int type;
        private final int[] dims;
        private final byte[] bytes;
        private final ByteBuffer buffer;

        private Data(String source, int type, int[] dims, byte[] bytes) {
            this.source = source;
            this.type = type;
            this.dims = dims;
            this.bytes = bytes;
            this.buffer = ByteBuffer.wrap(bytes); // big-endian, as IDX
        }

        /** The file it was read from, for messages. */
        public String source() {
            return source;
        }

        /** The element type code, {@link #UNSIGNED_BYTE} to {@link #DOUBLE}. */
        public int type() {
            return type;
        }

        public int[] dims() {
            return dims.clone();
        }

        /** Number of records: the first dimension. */
        public int count() {
            return dims[0];
        }

        /** Elements per record: the product of all dimensions but the first. */
        public int recordSize() {
            int size = 1;
            for (int i = 1; i < dims.length; i++) {
                size *= dims[i];
            }
            return size;
        }

        /** Number of elements. */
        public int length() {
            return bytes.length / elementSize(type);
        }

        /** Element {@code i} in row-major order, as a double (unsigned bytes as 0..255). */
        public double get(int i) {
            return switch (type) {
                case UNSIGNED_BYTE -> bytes[i] & 0xff;
                case SIGNED_BYTE -> bytes[i];
                case SHORT -> buffer.getShort(2 * i);
                case INT -> buffer.getInt(4 * i);
                case FLOAT -> buffer.getFloat(4 * i);
                default -> buffer.getDouble(8 * i);
            };
        }

        /** Every element times {@code scale}, in row-major order. */
        public double[] toDoubles(double scale) {
            double[] out = new double[length()];
            if (type == UNSIGNED_BYTE) {
                // The common case, and the large one (47 million pixels): a table lookup per byte.
                double[] table = new double[256];
                for (int v = 0; v < 256; v++) {
                    table[v] = v * scale;
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] = table[bytes[i] & 0xff];
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = get(i) * scale;
                }
            }
            return out;
        }
    }

    /** Reads an IDX file of any element type and number of dimensions. */
    public static Data read(Path file) {
        return read(file, 0);
    }

    /**
     * Reads an IDX file whose magic number must be {@code expectedMagic}, such as {@link #IMAGES}
     * or {@link #LABELS}; 0 accepts any.
     *
     * @throws DataException naming the file if it is missing, unreadable, not IDX, of another
     *     magic number, truncated or followed by extra bytes
     */
    public static Data read(Path file, int expectedMagic) {
        String src = file.toString();
        try (Input in = new Input(open(file))) {
            byte[] head = new byte[4];
            int got = in.read(head, 4);
            if (got < 4) {
                throw DataException.in(ErrorCode.E510, src, "truncated: the IDX header needs at least 4 bytes, found " + got);
            }
            int magic = ByteBuffer.wrap(head).getInt();
            if (expectedMagic != 0 && magic != expectedMagic) {
                throw DataException.in(ErrorCode.E510, src, "magic number " + hex(magic) + ", expected " + hex(expectedMagic) + " ("
                        + describe(expectedMagic) + ")");
            }
            int type = head[2] & 0xff;
            int rank = head[3] & 0xff;
            if (head[0] != 0 || head[1] != 0 || elementSize(type) == 0 || rank == 0) {
                throw DataException.in(ErrorCode.E510, src, "not an IDX file: magic number " + hex(magic)
                        + ", expected 0x000008.. to 0x00000E.. (element type 08 to 0E, then at least one dimension)");
            }
            byte[] sizes = new byte[4 * rank];
            got = in.read(sizes, sizes.length);
            if (got < sizes.length) {
                throw DataException.in(ErrorCode.E510, src, "truncated: the IDX header of " + rank + " dimensions needs " + (4 + sizes.length)
                        + " bytes, found " + (4 + got));
            }
            int[] dims = new int[rank];
            long elements = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = ByteBuffer.wrap(sizes, 4 * i, 4).getInt();
                if (dims[i] < 0) {
                    throw DataException.in(ErrorCode.E510, src, "dimension " + i + " of the header is negative: " + dims[i]);
                }
                elements *= dims[i];
                if (elements * elementSize(type) > Integer.MAX_VALUE - 16) {
                    throw DataException.in(ErrorCode.E510, src, "too large: " + dimsText(dims, i + 1) + " elements exceed 2 GB");
                }
            }
            int recordBytes = (int) (elements / Math.max(dims[0], 1)) * elementSize(type);
            byte[] bytes = new byte[(int) elements * elementSize(type)];
            got = in.read(bytes, bytes.length);
            if (got < bytes.length) {
                String what = dims[0] + " records of " + (rank == 1 ? "one " + typeName(type).replaceFirst("s$", "")
                        : dimsText(Arrays.copyOfRange(dims, 1, rank), rank - 1) + " " + typeName(type));
                throw DataException.in(ErrorCode.E510, src, "truncated: " + what + " need " + bytes.length + " bytes after the header, found "
                        + got + " (" + (recordBytes == 0 ? 0 : got / recordBytes) + " whole records)"
                        + (in.cutShort ? "; the gzip data ends early" : ""));
            }
            long extra = 0;
            byte[] skip = new byte[CHUNK];
            for (int r; (r = in.read(skip, skip.length)) > 0; ) {
                extra += r;
            }
            if (in.cutShort) {
                throw DataException.in(ErrorCode.E510, src, "truncated: the gzip data ends after the " + dims[0] + " records, before its checksum");
            }
            if (extra > 0) {
                throw DataException.in(ErrorCode.E510, src, extra + " bytes after the " + dims[0] + " records the header announces");
            }
            return new Data(src, type, dims, bytes);
        } catch (NoSuchFileException e) {
            throw DataException.in(ErrorCode.E501, src, "no such file");
        } catch (ZipException e) {
            throw DataException.in(ErrorCode.E510, src, "corrupt gzip data: " + e.getMessage());
        } catch (EOFException e) {
            throw DataException.in(ErrorCode.E510, src, "truncated: the gzip header ends early");
        } catch (IOException e) {
            throw DataException.in(ErrorCode.E503, src, "cannot read: " + e.getMessage());
        }
    }

    /** The file's bytes, decompressed if it starts with gzip's magic bytes 1f 8b. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, CHUNK) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /**
     * An input that treats a gzip stream cut short like a short file, and remembers it: truncation
     * is then reported with its counts either way.
     */
    private static final class Input implements AutoCloseable {
        private final InputStream in;
        private boolean cutShort;

        Input(InputStream in) {
            this.in = in;
        }

        /** Reads until {@code length} bytes or the end; returns how many it read. */
        int read(byte[] b, int length) throws IOException {
            int done = 0;
            while (done < length && !cutShort) {
                int r;
                try {
                    r = in.read(b, done, length - done);
                } catch (EOFException e) {
                    cutShort = true; // "Unexpected end of ZLIB input stream", or of the gzip trailer
                    break;
                }
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Bytes per element of a type code, 0 if the code is not one. */
    static int elementSize(int type) {
        return switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> 0;
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case UNSIGNED_BYTE -> "unsigned bytes";
            case SIGNED_BYTE -> "signed bytes";
            case SHORT -> "shorts";
            case INT -> "ints";
            case FLOAT -> "floats";
            case DOUBLE -> "doubles";
            default -> "type " + hex(type);
        };
    }

    private static String describe(int magic) {
        int rank = magic & 0xff;
        return typeName((magic >> 8) & 0xff) + ", " + rank + (rank == 1 ? " dimension" : " dimensions");
    }

    private static String dimsText(int[] dims, int upTo) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < upTo; i++) {
            s.append(i > 0 ? "x" : "").append(dims[i]);
        }
        return s.toString();
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%08X", v);
    }
}
