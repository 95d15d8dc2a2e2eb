package io.linkgate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a segment file at open: rebuilds its index (DATA frames) and acknowledgement bits (ACK frames) and cuts a
 * torn or corrupt tail, with a WARN. A frame is valid when its header is whole, its type known, its payload inside
 * the file and its CRC matches; DATA frames must also carry the next sequence number of the segment, below the next
 * segment's base (frames of a failed write that could not be truncated away are cut here).
 */
final class SegmentRecovery {

  private static final Logger log = LoggerFactory.getLogger(SegmentRecovery.class);
  private static final int CHUNK = 1 << 20;

  private SegmentRecovery() {
  }

  /** Frames whose CRC was checked and bytes cut from the tail, for the caller's summary. */
  record Outcome(Segment segment, long truncatedBytes) {
  }

  static Outcome recover(Path file, long base, long nextBase, int maxFrame, String logName) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long fileSize = ch.size();
      Segment seg = new Segment(base, file, ch, 0);
      CRC32C crc = new CRC32C();
      Window window = new Window(ch, fileSize);
      long pos = 0;
      String problem = null;
      while (pos < fileSize) {
        ByteBuffer frame = readFrame(window, pos, maxFrame);
        if (frame == null) {
          problem = "incomplete or invalid frame header";
          break;
        }
        if (!Frame.crcMatches(frame, crc)) {
          problem = "checksum mismatch";
          break;
        }
        int start = frame.position();
        byte type = frame.get(start + 4);
        long seq = frame.getLong(start + 5);
        long ts = frame.getLong(start + 13);
        int len = frame.getInt(start);
        if (type == Frame.DATA) {
          if (seq != seg.nextSeq() || seq >= nextBase) {
            problem = "record " + seq + " out of sequence (expected " + seg.nextSeq() + ")";
            break;
          }
          seg.add(len, ts);
        } else if (seg.contains(seq)) {
          seg.markAcked(seq);
        }
        pos += Frame.HEADER + len;
      }
      if (problem != null) {
        log.warn("{}, segment={}: {} at offset {}; truncating {} bytes of torn tail (the records before it are kept)",
            logName, file.getFileName(), problem, pos, fileSize - pos);
        ch.truncate(pos);
        ch.force(true);
      }
      seg.size = pos;
      seg.written = pos;
      return new Outcome(seg, fileSize - pos);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A window on the file, refilled as the scan moves on, so that most frames cost no read of their own. */
  private static final class Window {
    final FileChannel ch;
    final long fileSize;
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long start;

    Window(FileChannel ch, long fileSize) {
      this.ch = ch;
      this.fileSize = fileSize;
      buf.limit(0);
    }

    /** {@code buf} positioned at {@code pos} with at least {@code n} bytes after it (caller checked the file). */
    ByteBuffer at(long pos, int n) throws IOException {
      if (pos < start || pos + n > start + buf.limit()) {
        int want = (int) Math.min(Math.max(CHUNK, n), fileSize - pos);
        if (want > buf.capacity()) {
          buf = ByteBuffer.allocate(want);
        }
        readFully(ch, pos, buf, want);
        start = pos;
      }
      buf.position((int) (pos - start));
      return buf;
    }
  }

  /**
   * The frame at {@code pos} as a buffer positioned at its header and limited at its end, or null if the bytes from
   * {@code pos} on are not a whole frame.
   */
  private static ByteBuffer readFrame(Window w, long pos, int maxFrame) throws IOException {
    if (w.fileSize - pos < Frame.HEADER) {
      return null;
    }
    ByteBuffer b = w.at(pos, Frame.HEADER);
    int p = b.position();
    int len = b.getInt(p);
    byte type = b.get(p + 4);
    if (len < 0 || len > maxFrame || (type != Frame.DATA && type != Frame.ACK) || (type == Frame.ACK && len != 0)
        || w.fileSize - pos - Frame.HEADER < len) {
      return null;
    }
    b = w.at(pos, Frame.HEADER + len);
    ByteBuffer frame = b.duplicate();
    frame.position(b.position()).limit(b.position() + Frame.HEADER + len);
    return frame;
  }

  static ByteBuffer readFully(FileChannel ch, long pos, ByteBuffer buf, int n) throws IOException {
    buf.clear().limit(n);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    buf.flip();
    return buf;
  }
}
