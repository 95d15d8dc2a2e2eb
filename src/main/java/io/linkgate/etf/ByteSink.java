package io.linkgate.etf;

import java.util.Arrays;

/** Growable big-endian byte buffer; unsynchronised, unlike ByteArrayOutputStream. */
final class ByteSink {
  private byte[] buf;
  private int len;

  ByteSink(int initial) {
    buf = new byte[Math.max(16, initial)];
  }

  private void ensure(int more) {
    if (buf.length - len < more) {
      long want = Math.max((long) buf.length * 2, (long) len + more);
      if (want > Integer.MAX_VALUE - 16) {
        throw new EtfException("encoded term larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  void write(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void write(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  void u16(int v) {
    write(v >>> 8);
    write(v);
  }

  void u32(long v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  void u64(long v) {
    u32(v >>> 32);
    u32(v & 0xFFFFFFFFL);
  }

  int size() {
    return len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
