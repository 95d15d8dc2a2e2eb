package io.linkgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Splits the inbound byte stream of one connection into MQTT frames and hands each to a {@link Sink} in place
 * (indices into the read buffer, no message objects): the load generator's receive path must not allocate per
 * message. A frame cut by the end of a read is kept in one cumulation buffer that lives as long as the
 * connection; complete frames are parsed straight from the read buffer. Not thread-safe: one per channel.
 */
final class FrameReader {

  static final int PUBLISH = 3;

  /** Receives the frames; the buffer is only valid during the call. */
  interface Sink {
    /** A PUBLISH: its payload is {@code buf[payloadIndex, payloadIndex + payloadLength)}. */
    void onPublish(int qos, int packetId, ByteBuf buf, int payloadIndex, int payloadLength);

    /**
     * Any other packet: {@code type} is bits 7-4 of the fixed header (2 = CONNACK, 4 = PUBACK, ...), {@code flags}
     * bits 3-0, and the body (variable header and payload) is {@code buf[bodyIndex, bodyIndex + bodyLength)}.
     */
    void onPacket(int type, int flags, ByteBuf buf, int bodyIndex, int bodyLength);
  }

  private final boolean v5;
  private final int maxFrameBytes;
  private final Sink sink;
  private ByteBuf cumulation;

  FrameReader(boolean v5, int maxFrameBytes, Sink sink) {
    this.v5 = v5;
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  /**
   * Consumes {@code in} (and releases it): every complete frame goes to the sink, a trailing partial frame is kept
   * for the next read. Throws {@link CorruptedFrameException} on a malformed or oversized frame.
   */
  void read(ByteBufAllocator alloc, ByteBuf in) {
    try {
      if (cumulation == null || !cumulation.isReadable()) {
        parse(in);
        if (in.isReadable()) {
          if (cumulation == null) {
            cumulation = alloc.directBuffer(Math.max(4096, in.readableBytes()));
          }
          cumulation.clear().writeBytes(in);
        }
      } else {
        cumulation.writeBytes(in);
        parse(cumulation);
        cumulation.discardReadBytes();
      }
    } finally {
      in.release();
    }
  }

  /** Bytes of an incomplete frame waiting for the next read. */
  int pendingBytes() {
    return cumulation == null ? 0 : cumulation.readableBytes();
  }

  /** Frees the cumulation buffer (channel closed). */
  void release() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  private void parse(ByteBuf b) {
    while (true) {
      int start = b.readerIndex();
      int avail = b.writerIndex() - start;
      if (avail < 2) {
        return;
      }
      int header = b.getUnsignedByte(start);
      int length = 0;
      int i = 1;
      int shift = 0;
      while (true) {
        if (i >= avail) {
          return;
        }
        int digit = b.getUnsignedByte(start + i++);
        length |= (digit & 0x7F) << shift;
        if ((digit & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (i == 5) {
          throw new CorruptedFrameException("remaining length longer than 4 bytes");
        }
      }
      if (length > maxFrameBytes) {
        throw new CorruptedFrameException("frame of " + length + " bytes over the limit of " + maxFrameBytes);
      }
      if (avail - i < length) {
        return;
      }
      int body = start + i;
      b.readerIndex(body + length);
      if (header >>> 4 == PUBLISH) {
        publish(header, b, body, length);
      } else {
        sink.onPacket(header >>> 4, header & 0x0F, b, body, length);
      }
    }
  }

  private void publish(int header, ByteBuf b, int body, int length) {
    int qos = (header >>> 1) & 3;
    if (qos == 3) {
      throw new CorruptedFrameException("PUBLISH with QoS 3");
    }
    int end = body + length;
    if (length < 2) {
      throw new CorruptedFrameException("PUBLISH without a topic");
    }
    int p = body + 2 + b.getUnsignedShort(body);
    int packetId = 0;
    if (qos > 0) {
      if (p + 2 > end) {
        throw new CorruptedFrameException("PUBLISH shorter than its packet id");
      }
      packetId = b.getUnsignedShort(p);
      p += 2;
    }
    if (v5) {
      int propsLength = 0;
      int shift = 0;
      while (true) {
        if (p >= end || shift > 21) {
          throw new CorruptedFrameException("PUBLISH with a malformed properties length");
        }
        int digit = b.getUnsignedByte(p++);
        propsLength |= (digit & 0x7F) << shift;
        if ((digit & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      p += propsLength;
    }
    if (p > end) {
      throw new CorruptedFrameException("PUBLISH header longer than the frame");
    }
    sink.onPublish(qos, packetId, b, p, end - p);
  }
}
