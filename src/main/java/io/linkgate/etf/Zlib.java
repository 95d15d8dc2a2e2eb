package io.linkgate.etf;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** The zlib side of COMPRESSED_EXT (tag 80): {@code 131, 80, u32 size, zlib stream}. */
final class Zlib {
  private Zlib() {
  }

  /**
   * Inflates the stream whose u32 size header starts at {@code offset}. The output buffer is
   * exactly the declared size (after checking it against {@code maxBytes}), so a zip bomb can
   * never allocate more; a stream that ends early, runs long or has trailing bytes is rejected.
   */
  static byte[] inflate(byte[] in, int offset, int maxBytes) {
    return inflate(in, offset, in.length, maxBytes);
  }

  /** Like {@link #inflate(byte[], int, int)} for the stream in {@code in[offset, end)}. */
  static byte[] inflate(byte[] in, int offset, int end, int maxBytes) {
    if (end - offset < 4) {
      throw new EtfException("truncated compressed header at offset " + offset);
    }
    long declared = ((long) (in[offset] & 0xFF) << 24) | ((in[offset + 1] & 0xFF) << 16)
        | ((in[offset + 2] & 0xFF) << 8) | (in[offset + 3] & 0xFF);
    if (declared == 0 || declared > maxBytes) {
      throw new EtfException("compressed term declares " + declared
          + " uncompressed bytes at offset " + offset + " (limit " + maxBytes + ")");
    }
    byte[] out = new byte[(int) declared];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(in, offset + 4, end - offset - 4);
      int filled = 0;
      while (filled < out.length && !inflater.finished()) {
        int n = inflater.inflate(out, filled, out.length - filled);
        if (n == 0 && !inflater.finished()) {
          throw new EtfException(inflater.needsDictionary()
              ? "compressed term needs a preset dictionary"
              : "compressed data truncated after " + filled + " of " + declared + " bytes");
        }
        filled += n;
      }
      if (!inflater.finished()) {
        int extra = inflater.inflate(new byte[1]);
        throw new EtfException(extra > 0
            ? "compressed term inflates to more than the declared " + declared + " bytes"
            : "compressed stream not terminated after " + declared + " bytes");
      }
      if (filled != declared) {
        throw new EtfException("compressed term inflates to " + filled + " bytes, declared "
            + declared);
      }
      if (inflater.getRemaining() > 0) {
        throw new EtfException(inflater.getRemaining()
            + " trailing bytes after the compressed stream");
      }
      return out;
    } catch (DataFormatException e) {
      throw new EtfException("bad compressed data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /**
   * Mirrors OTP's {@code term_to_binary(T, [compressed])}: zlib level 6, and the compressed form is
   * used only if it is no longer than the plain one (the deflate output must fit in
   * {@code plain.length - 6} bytes). Returns {@code plain} otherwise.
   */
  static byte[] compressIfSmaller(byte[] plain) {
    int budget = plain.length - 6;
    if (budget <= 0) {
      return plain;
    }
    byte[] out = new byte[plain.length];
    Deflater deflater = new Deflater(6);
    try {
      deflater.setInput(plain, 1, plain.length - 1);
      deflater.finish();
      int len = 0;
      while (!deflater.finished() && len < budget) {
        len += deflater.deflate(out, 6 + len, budget - len);
      }
      if (!deflater.finished()) {
        return plain;
      }
      int size = plain.length - 1;
      out[0] = (byte) Tags.VERSION;
      out[1] = (byte) Tags.COMPRESSED;
      out[2] = (byte) (size >>> 24);
      out[3] = (byte) (size >>> 16);
      out[4] = (byte) (size >>> 8);
      out[5] = (byte) size;
      return Arrays.copyOf(out, 6 + len);
    } finally {
      deflater.end();
    }
  }
}
