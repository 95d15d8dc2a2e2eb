package io.linkgate.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * On-disk layout of one frame (big endian):
 * <pre>
 *   int  payload length
 *   byte type           DATA = 1, ACK = 2
 *   long seq            DATA: the record's sequence number; ACK: the acknowledged one
 *   long timestamp      milliseconds since the epoch (append or ack time)
 *   int  crc32c         over the 21 bytes above and the payload
 *   payload
 * </pre>
 * A DATA frame's ACK is appended to the segment that holds the DATA frame, so a segment is self-contained and can
 * be deleted as soon as all its records are acknowledged, in any order.
 */
final class Frame {

  static final int HEADER = 25;
  static final byte DATA = 1;
  static final byte ACK = 2;
  private static final int CRC_OFFSET = 21;

  private Frame() {
  }

  /** Writes a header for {@code payloadLength} bytes at {@code buf}'s position; the payload must follow. */
  static void putHeader(ByteBuffer buf, byte type, long seq, long timestamp, int payloadLength) {
    buf.putInt(payloadLength).put(type).putLong(seq).putLong(timestamp).putInt(0);
  }

  /** Fills in the CRC of the frame that starts at {@code start} and ends at {@code buf}'s position. */
  static void sealCrc(ByteBuffer buf, int start, CRC32C crc) {
    crc.reset();
    int end = buf.position();
    ByteBuffer view = buf.duplicate();
    view.position(start).limit(start + CRC_OFFSET);
    crc.update(view);
    view.limit(end).position(start + HEADER);
    crc.update(view);
    buf.putInt(start + CRC_OFFSET, (int) crc.getValue());
  }

  /** True if the frame of {@code buf} (position at its header, limit at its end) carries a matching CRC. */
  static boolean crcMatches(ByteBuffer frame, CRC32C crc) {
    int start = frame.position();
    int end = frame.limit();
    crc.reset();
    ByteBuffer view = frame.duplicate();
    view.limit(start + CRC_OFFSET);
    crc.update(view);
    view.limit(end).position(start + HEADER);
    crc.update(view);
    return (int) crc.getValue() == frame.getInt(start + CRC_OFFSET);
  }
}
