package io.linkgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * The load generator's MQTT 3.1.1/5 control packets as raw bytes (CONNECT, SUBSCRIBE, PUBACK, PINGREQ, DISCONNECT)
 * and the few fields it reads from the broker's (CONNACK return code and Receive Maximum, SUBACK code, PUBACK
 * reason). Only PUBACK is on the hot path; the rest runs once per connection.
 */
final class MqttFrames {

  static final int CONNACK = 2;
  static final int PUBACK = 4;
  static final int SUBACK = 9;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;
  static final int PUBACK_BYTES = 4;
  /** MQTT 5 property id of Receive Maximum (two-byte integer). */
  static final int RECEIVE_MAXIMUM = 0x21;

  private MqttFrames() {
  }

  /** CONNECT with a clean session/clean start, no will, no credentials. {@code level} is 4 (3.1.1) or 5. */
  static ByteBuf connect(ByteBufAllocator alloc, String clientId, int level, int keepAliveS) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    int remaining = 10 + (level == 5 ? 1 : 0) + 2 + id.length;
    ByteBuf b = alloc.buffer(5 + remaining);
    b.writeByte(0x10);
    writeVarInt(b, remaining);
    b.writeShort(4).writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
    b.writeByte(level);
    b.writeByte(0x02); // clean session / clean start
    b.writeShort(keepAliveS);
    if (level == 5) {
      b.writeByte(0); // no properties
    }
    b.writeShort(id.length).writeBytes(id);
    return b;
  }

  /** SUBSCRIBE to one filter at {@code qos} (MQTT 5: no options beyond the QoS). */
  static ByteBuf subscribe(ByteBufAllocator alloc, int packetId, String filter, int qos, boolean v5) {
    byte[] f = filter.getBytes(StandardCharsets.UTF_8);
    int remaining = 2 + (v5 ? 1 : 0) + 2 + f.length + 1;
    ByteBuf b = alloc.buffer(5 + remaining);
    b.writeByte(0x82);
    writeVarInt(b, remaining);
    b.writeShort(packetId);
    if (v5) {
      b.writeByte(0);
    }
    b.writeShort(f.length).writeBytes(f);
    b.writeByte(qos);
    return b;
  }

  /** PUBACK (success: valid in 3.1.1 and, without reason code and properties, in 5). */
  static void writePuback(ByteBuf out, int packetId) {
    out.writeByte(0x40).writeByte(2).writeShort(packetId);
  }

  static ByteBuf pingreq(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(0xC0).writeByte(0);
  }

  static ByteBuf disconnect(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(0xE0).writeByte(0);
  }

  /** CONNACK return code (3.1.1) or reason code (5); 0 = accepted. */
  static int connackCode(ByteBuf b, int body, int length) {
    if (length < 2) {
      throw new CorruptedFrameException("CONNACK of " + length + " bytes");
    }
    return b.getUnsignedByte(body + 1);
  }

  /** Receive Maximum of an MQTT 5 CONNACK, or -1 when the broker did not send one. */
  static int receiveMaximum(ByteBuf b, int body, int length) {
    return findTwoByteProperty(b, body + 2, body + length, RECEIVE_MAXIMUM);
  }

  /** First return/reason code of a SUBACK (>= 0x80 = refused), or -1 if it has none. */
  static int subackCode(ByteBuf b, int body, int length, boolean v5) {
    int end = body + length;
    int p = body + 2;
    if (v5 && p < end) {
      long props = readVarInt(b, p, end);
      p += (int) (props >>> 32) + (int) props;
    }
    return p < end ? b.getUnsignedByte(p) : -1;
  }

  /** Reason code of a PUBACK: 0 (success) when absent, as in 3.1.1 or a 2-byte MQTT 5 PUBACK. */
  static int pubackReason(ByteBuf b, int body, int length) {
    return length >= 3 ? b.getUnsignedByte(body + 2) : 0;
  }

  /** The 16-bit packet id at the start of a body. */
  static int packetId(ByteBuf b, int body) {
    return b.getUnsignedShort(body);
  }

  // ---------------------------------------------------------------- variable byte integers and properties

  static int varIntSize(int v) {
    return v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
  }

  /** Writes {@code v} as a variable byte integer at {@code p}; returns the index after it. */
  static int putVarInt(byte[] out, int p, int v) {
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      out[p++] = (byte) (v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
    return p;
  }

  static void writeVarInt(ByteBuf out, int v) {
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      out.writeByte(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
  }

  /** Reads a variable byte integer at {@code p}: its size in bytes in the high 32 bits, its value in the low. */
  static long readVarInt(ByteBuf b, int p, int end) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      if (p + i >= end) {
        break;
      }
      int digit = b.getUnsignedByte(p + i);
      value |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        return ((long) (i + 1) << 32) | value;
      }
    }
    throw new CorruptedFrameException("malformed variable byte integer");
  }

  /** Looks for a two-byte-integer property in a properties block starting at {@code p} (its length first). */
  private static int findTwoByteProperty(ByteBuf b, int p, int end, int wanted) {
    if (p >= end) {
      return -1;
    }
    long len = readVarInt(b, p, end);
    p += (int) (len >>> 32);
    int propsEnd = Math.min(end, p + (int) len);
    while (p < propsEnd) {
      int id = b.getUnsignedByte(p++);
      if (id == wanted) {
        return b.getUnsignedShort(p);
      }
      p += propertyValueSize(b, p, propsEnd, id);
    }
    return -1;
  }

  /** Size of the value of property {@code id} at {@code p} (MQTT 5, section 2.2.2.2). */
  static int propertyValueSize(ByteBuf b, int p, int end, int id) {
    switch (id) {
      case 0x01: case 0x17: case 0x19: case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A:
        return 1;
      case 0x13: case 0x21: case 0x22: case 0x23:
        return 2;
      case 0x02: case 0x11: case 0x18: case 0x27:
        return 4;
      case 0x0B:
        return (int) (readVarInt(b, p, end) >>> 32);
      case 0x03: case 0x08: case 0x09: case 0x12: case 0x15: case 0x16: case 0x1A: case 0x1C: case 0x1F:
        return 2 + b.getUnsignedShort(p);
      case 0x26: {
        int key = 2 + b.getUnsignedShort(p);
        return key + 2 + b.getUnsignedShort(p + key);
      }
      default:
        throw new CorruptedFrameException("unknown MQTT 5 property 0x" + Integer.toHexString(id));
    }
  }
}
