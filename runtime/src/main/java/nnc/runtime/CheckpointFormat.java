package nnc.runtime;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a checkpoint file: named, typed entries in order, framed so that a file that is not
 * a checkpoint, was cut short or was changed is recognised before anything is read from it.
 *
 * <pre>
 * offset  size  content (big-endian)
 * 0       8     magic "NNC-CKPT"
 * 8       4     format version (1)
 * 12      8     body length L
 * 20      L     body: entry count, then each entry: name, type tag, value
 * 20+L    4     CRC-32C of bytes 0 .. 20+L
 * </pre>
 *
 * <p>A string is its UTF-8 length (int) and bytes. Tags: {@code S} string, {@code J} long,
 * {@code D} double, and arrays {@code f} float, {@code d} double, {@code j} long, {@code i} int,
 * each array as its rank (int), its dimensions (ints) and its elements in row-major order. Floats
 * and doubles are stored as their raw bits, so values read back identical.
 */
final class CheckpointFormat {
    static final int VERSION = 1;
    private static final byte[] MAGIC = "NNC-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8;
    private static final int TRAILER = 4;
    private static final int MAX_RANK = 32;

    private CheckpointFormat() {}

    /** An array entry: a float[], double[], long[] or int[] and its shape. */
    record Array(int[] shape, Object data) {
        int length() {
            return java.lang.reflect.Array.getLength(data);
        }
    }

    /** Entries whose values are String, Long, Double or {@link Array}. */
    static byte[] encode(Map<String, Object> entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.writeInt(entries.size());
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                writeString(out, e.getKey());
                write(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] b = body.toByteArray();
        ByteBuffer file = ByteBuffer.allocate(HEADER + b.length + TRAILER);
        file.put(MAGIC).putInt(VERSION).putLong(b.length).put(b);
        CRC32C crc = new CRC32C();
        crc.update(file.array(), 0, HEADER + b.length);
        file.putInt((int) crc.getValue());
        return file.array();
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v instanceof String s) {
            out.writeByte('S');
            writeString(out, s);
        } else if (v instanceof Long l) {
            out.writeByte('J');
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte('D');
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Array a) {
            Object data = a.data();
            out.writeByte(data instanceof float[] ? 'f' : data instanceof double[] ? 'd' : data instanceof long[] ? 'j' : 'i');
            out.writeInt(a.shape().length);
            for (int d : a.shape()) {
                out.writeInt(d);
            }
            if (data instanceof float[] f) {
                for (float x : f) {
                    out.writeInt(Float.floatToRawIntBits(x));
                }
            } else if (data instanceof double[] d) {
                for (double x : d) {
                    out.writeLong(Double.doubleToRawLongBits(x));
                }
            } else if (data instanceof long[] l) {
                for (long x : l) {
                    out.writeLong(x);
                }
            } else {
                for (int x : (int[]) data) {
                    out.writeInt(x);
                }
            }
        } else {
            throw new IllegalArgumentException("a checkpoint cannot hold " + v);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The entries of a checkpoint file's bytes; {@code file} names it in messages. */
    static Map<String, Object> decode(String file, byte[] b) {
        if (b.length == 0) {
            throw new CheckpointException(ErrorCode.E602, file, "empty, not a checkpoint");
        }
        int prefix = Math.min(b.length, MAGIC.length);
        if (!Arrays.equals(b, 0, prefix, MAGIC, 0, prefix)) {
            throw new CheckpointException(ErrorCode.E602, file, "not an nnc checkpoint (it does not begin with NNC-CKPT)");
        }
        if (b.length < HEADER + TRAILER) {
            throw new CheckpointException(ErrorCode.E602, file, "truncated: " + b.length + " bytes, too short for a checkpoint's header");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int version = buf.getInt(MAGIC.length);
        if (version != VERSION) {
            throw new CheckpointException(ErrorCode.E602, file, "checkpoint format version " + version + ", but this nnc reads version " + VERSION);
        }
        long bodyLength = buf.getLong(MAGIC.length + 4);
        if (bodyLength < 0 || bodyLength > Integer.MAX_VALUE) {
            throw new CheckpointException(ErrorCode.E602, file, "corrupted: its header announces a body of " + bodyLength + " bytes");
        }
        long expected = HEADER + bodyLength + TRAILER;
        if (b.length < expected) {
            throw new CheckpointException(ErrorCode.E602, file, "truncated: " + b.length + " bytes of the " + expected + " its header announces");
        }
        if (b.length > expected) {
            throw new CheckpointException(ErrorCode.E602, file, "corrupted: " + b.length + " bytes, but its header announces " + expected);
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, HEADER + (int) bodyLength);
        if (buf.getInt(HEADER + (int) bodyLength) != (int) crc.getValue()) {
            throw new CheckpointException(ErrorCode.E602, file, "corrupted: its checksum does not match its content");
        }
        ByteBuffer body = ByteBuffer.wrap(b, HEADER, (int) bodyLength).slice();
        try {
            Map<String, Object> entries = new LinkedHashMap<>();
            int count = body.getInt();
            for (int k = 0; k < count; k++) {
                String name = readString(body);
                entries.put(name, read(body, name));
            }
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " bytes after the last entry");
            }
            return entries;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            // The checksum held, so whatever wrote this was not nnc's checkpoint writer of this version.
            throw new CheckpointException(ErrorCode.E602, file, "malformed: " + (e.getMessage() == null ? "an entry runs past the end" : e.getMessage()));
        }
    }

    private static Object read(ByteBuffer in, String name) {
        byte tag = in.get();
        switch (tag) {
            case 'S':
                return readString(in);
            case 'J':
                return in.getLong();
            case 'D':
                return Double.longBitsToDouble(in.getLong());
            case 'f':
            case 'd':
            case 'j':
            case 'i':
                break;
            default:
                throw new IllegalArgumentException("entry " + name + " has an unknown type " + tag);
        }
        int rank = in.getInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw new IllegalArgumentException("entry " + name + " has rank " + rank);
        }
        int[] shape = new int[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.getInt();
            length *= shape[i];
            if (shape[i] < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("entry " + name + " has shape " + Arrays.toString(Arrays.copyOf(shape, i + 1))
                        + ", more than the file holds");
            }
        }
        int n = (int) length;
        switch (tag) {
            case 'f': {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat(in.getInt());
                }
                return new Array(shape, f);
            }
            case 'd': {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Double.longBitsToDouble(in.getLong());
                }
                return new Array(shape, d);
            }
            case 'j': {
                long[] l = new long[n];
                in.asLongBuffer().get(l);
                in.position(in.position() + 8 * n);
                return new Array(shape, l);
            }
            default: {
                int[] v = new int[n];
                in.asIntBuffer().get(v);
                in.position(in.position() + 4 * n);
                return new Array(shape, v);
            }
        }
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a name of " + length + " bytes, more than the file holds");
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
