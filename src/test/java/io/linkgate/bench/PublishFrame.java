package io.linkgate.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A PUBLISH frame encoded once per publisher (fixed header, topic, packet-id slot, MQTT 5's empty properties, and a
 * zero payload); each message copies it into the output buffer and patches the packet id and the payload header
 * (send time, sequence number, phase flag: see {@link BenchClient}). Nothing is allocated per message.
 */
final class PublishFrame {

  /** Offsets of the payload header fields, from the start of the payload. */
  static final int SEND_NANOS = 0;
  static final int SEQ = 8;
  static final int FLAG = 16;

  private final byte[] template;
  /** Offset of the packet id in the frame, -1 at QoS 0. */
  private final int packetIdOffset;
  private final int payloadOffset;

  PublishFrame(String topic, int qos, int payloadBytes, boolean v5) {
    if (payloadBytes < BenchClient.HEADER_BYTES) {
      throw new IllegalArgumentException("payload must be >= " + BenchClient.HEADER_BYTES + " bytes");
    }
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    int remaining = 2 + t.length + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadBytes;
    int header = 1 + MqttFrames.varIntSize(remaining);
    template = new byte[header + remaining];
    int p = 0;
    template[p++] = (byte) (0x30 | (qos << 1));
    p = MqttFrames.putVarInt(template, p, remaining);
    template[p++] = (byte) (t.length >>> 8);
    template[p++] = (byte) t.length;
    System.arraycopy(t, 0, template, p, t.length);
    p += t.length;
    packetIdOffset = qos > 0 ? p : -1;
    p += qos > 0 ? 2 : 0;
    if (v5) {
      template[p++] = 0; // properties length
    }
    payloadOffset = p;
  }

  /** Bytes of one frame. */
  int length() {
    return template.length;
  }

  /** Appends one frame to {@code out}; {@code packetId} is ignored at QoS 0. */
  void write(ByteBuf out, int packetId, long sendNanos, long seq, int flag) {
    int w = out.writerIndex();
    out.writeBytes(template);
    if (packetIdOffset >= 0) {
      out.setShort(w + packetIdOffset, packetId);
    }
    int payload = w + payloadOffset;
    out.setLong(payload + SEND_NANOS, sendNanos);
    out.setLong(payload + SEQ, seq);
    out.setByte(payload + FLAG, flag);
  }
}
