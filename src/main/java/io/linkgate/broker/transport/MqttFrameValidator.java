package io.linkgate.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets and checks what Netty's {@code MqttDecoder} lets through: strings
 * must be well-formed UTF-8 without U+0000 (the decoder silently replaces bad bytes), string lengths must stay
 * inside the packet (the decoder would read into the next packet), subscription options must not set reserved
 * bits, and the remaining length takes at most four bytes. Only whole, checked packets reach the decoder.
 */
final class MqttFrameValidator extends ByteToMessageDecoder {
  private static final int CONNECT = 1;
  private static final int PUBLISH = 3;
  private static final int SUBSCRIBE = 8;
  private static final int UNSUBSCRIBE = 10;

  private final int maxRemainingLength;
  private int protocolLevel = 4;

  MqttFrameValidator(int maxRemainingLength) {
    this.maxRemainingLength = maxRemainingLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2) {
      int start = in.readerIndex();
      int pos = start + 1;
      int remaining = 0;
      int shift = 0;
      int b;
      do {
        if (pos >= in.writerIndex()) {
          return; // the length is not complete yet
        }
        if (shift == 28) {
          throw new DecoderException("remaining length takes more than 4 bytes");
        }
        b = in.getUnsignedByte(pos++);
        remaining |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if (remaining > maxRemainingLength) {
        throw new TooLongFrameException("packet of " + remaining + " bytes exceeds the maximum packet size");
      }
      int headerLength = pos - start;
      if (in.readableBytes() < headerLength + remaining) {
        return;
      }
      check(in.getUnsignedByte(start), in, pos, pos + remaining);
      out.add(in.retainedSlice(start, headerLength + remaining));
      in.skipBytes(headerLength + remaining);
    }
  }

  private void check(int header, ByteBuf buf, int from, int end) {
    switch (header >> 4) {
      case CONNECT -> checkConnect(buf, from, end);
      case PUBLISH -> new Reader(buf, from, end).utf8("topic");
      case SUBSCRIBE -> checkSubscribe(buf, from, end);
      case UNSUBSCRIBE -> {
        Reader r = new Reader(buf, from, end);
        r.skip(2);
        r.properties(protocolLevel);
        while (r.pos < end) {
          r.utf8("topic filter");
        }
      }
      default -> {
        // other packets carry no strings Netty would mangle
      }
    }
  }

  private void checkConnect(ByteBuf buf, int from, int end) {
    Reader r = new Reader(buf, from, end);
    r.utf8("protocol name");
    protocolLevel = r.u8();
    int flags = r.u8();
    r.skip(2); // keep alive
    r.properties(protocolLevel);
    r.utf8("client identifier");
    if ((flags & 0x04) != 0) {
      r.properties(protocolLevel);
      r.utf8("will topic");
      r.binary();
    }
    if ((flags & 0x80) != 0) {
      r.utf8("user name");
    }
    if ((flags & 0x40) != 0) {
      r.binary();
    }
  }

  private void checkSubscribe(ByteBuf buf, int from, int end) {
    Reader r = new Reader(buf, from, end);
    r.skip(2);
    r.properties(protocolLevel);
    while (r.pos < end) {
      r.utf8("topic filter");
      int options = r.u8();
      boolean reservedSet = protocolLevel == 5 ? (options & 0xC0) != 0 || (options & 0x30) == 0x30
        : (options & 0xFC) != 0;
      if (reservedSet) {
        throw new DecoderException("reserved bits set in subscription options: 0x" + Integer.toHexString(options));
      }
    }
  }

  /** Bounds-checked reads within one packet. */
  private static final class Reader {
    final ByteBuf buf;
    final int end;
    int pos;

    Reader(ByteBuf buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    void need(int n) {
      if (n < 0 || pos + n > end) {
        throw new DecoderException("field runs past the end of the packet");
      }
    }

    int u8() {
      need(1);
      return buf.getUnsignedByte(pos++);
    }

    void skip(int n) {
      need(n);
      pos += n;
    }

    int u16() {
      need(2);
      int v = buf.getUnsignedShort(pos);
      pos += 2;
      return v;
    }

    void binary() {
      skip(u16());
    }

    void utf8(String what) {
      int len = u16();
      need(len);
      if (!Utf8.isValidMqttString(buf, pos, len)) {
        throw new DecoderException(what + " is not well-formed UTF-8 or contains U+0000");
      }
      pos += len;
    }

    /** MQTT 5 properties: a variable byte integer length, then that many bytes (Netty checks their content). */
    void properties(int level) {
      if (level != 5) {
        return;
      }
      int len = 0;
      int shift = 0;
      int b;
      do {
        if (shift == 28) {
          throw new DecoderException("property length takes more than 4 bytes");
        }
        b = u8();
        len |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      skip(len);
    }
  }
}
