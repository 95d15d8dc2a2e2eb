package io.linkgate.broker.interop;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A bare TCP connection that speaks hand-built MQTT bytes, for what no well-behaved client library will send:
 * packets are encoded here byte by byte and read back as (first byte, body).
 */
final class RawMqtt implements AutoCloseable {
  static final int CONNECT = 1;
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int PUBREC = 5;
  static final int SUBACK = 9;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** One packet as read: the fixed header's first byte and the body after the remaining length. */
  record Packet(int header, byte[] body) {
    int type() {
      return header >> 4;
    }

    /** The reason code of a v5 DISCONNECT/CONNACK (CONNACK: also the 3.1.1 return code). */
    int reasonCode() {
      return switch (type()) {
        case CONNACK -> body[1] & 0xFF;
        case DISCONNECT -> body.length == 0 ? 0 : body[0] & 0xFF;
        default -> throw new IllegalStateException("no reason code in packet type " + type());
      };
    }

    int packetId() {
      return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    @Override
    public String toString() {
      return String.format("%02x [%s]", header, HexFormat.ofDelimiter(" ").formatHex(body));
    }
  }

  /** A PUBLISH body taken apart (v5 properties skipped). */
  record Publish(String topic, int qos, boolean dup, boolean retain, int packetId, String payload) {
    static Publish parse(Packet p, int version) {
      assertThat(p.type()).as("PUBLISH expected, got %s", p).isEqualTo(PUBLISH);
      byte[] b = p.body();
      int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
      int i = 2 + topicLength;
      String topic = new String(b, 2, topicLength, StandardCharsets.UTF_8);
      int qos = (p.header() >> 1) & 3;
      int packetId = 0;
      if (qos > 0) {
        packetId = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        i += 2;
      }
      if (version == 5) {
        int propsLength = 0;
        for (int shift = 0; ; shift += 7) {
          int digit = b[i++] & 0xFF;
          propsLength |= (digit & 0x7F) << shift;
          if ((digit & 0x80) == 0) {
            break;
          }
        }
        i += propsLength;
      }
      return new Publish(topic, qos, (p.header() & 0x08) != 0, (p.header() & 1) != 0, packetId,
        new String(b, i, b.length - i, StandardCharsets.UTF_8));
    }
  }

  /** What came before the server closed the connection. */
  record Closed(List<Packet> packets, long afterMillis) {
  }

  RawMqtt(int port) throws IOException {
    this(port, null);
  }

  /** From a chosen local address, e.g. 127.0.0.2 to look like another host to ACL rules on 127.0.0.1. */
  RawMqtt(int port, String localAddress) throws IOException {
    socket = localAddress == null ? new Socket("127.0.0.1", port)
      : new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, java.net.InetAddress.getByName(localAddress), 0);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  // ---- encoding ----

  static byte[] varint(int value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    do {
      int digit = value % 128;
      value /= 128;
      b.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
    return b.toByteArray();
  }

  static byte[] str(String s) {
    return bin(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A two-byte length followed by the bytes, as is: lets tests put ill-formed UTF-8 on the wire. */
  static byte[] bin(byte[] bytes) {
    return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /** A packet with a correct remaining length. */
  static byte[] packet(int firstByte, byte[]... body) {
    byte[] b = concat(body);
    return concat(new byte[] {(byte) firstByte}, varint(b.length), b);
  }

  /** v5 properties block: its length and the encoded properties. */
  static byte[] props(byte[]... properties) {
    byte[] p = concat(properties);
    return concat(varint(p.length), p);
  }

  /** Properties for a PUBLISH/SUBSCRIBE body: an empty block for v5, nothing for 3.1.1. */
  static byte[] noProps(int version) {
    return version == 5 ? new byte[] {0} : new byte[0];
  }

  static byte[] connect(int version, String clientId, int keepAlive, boolean cleanStart, byte[] v5Props) {
    byte[] variable = concat(str("MQTT"), bytes(version, cleanStart ? 0x02 : 0x00, keepAlive >> 8, keepAlive),
      version == 5 ? (v5Props == null ? props() : v5Props) : new byte[0]);
    return packet(0x10, variable, str(clientId));
  }

  static byte[] connect(int version, String clientId) {
    return connect(version, clientId, 60, true, null);
  }

  static byte[] publish(int version, String topic, int qos, int packetId, String payload) {
    return packet(0x30 | qos << 1, str(topic), qos > 0 ? bytes(packetId >> 8, packetId) : new byte[0],
      noProps(version), payload.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] subscribe(int version, int packetId, String filter, int options) {
    return packet(0x82, bytes(packetId >> 8, packetId), noProps(version), str(filter), bytes(options));
  }

  static byte[] puback(int packetId) {
    return bytes(0x40, 0x02, packetId >> 8, packetId);
  }

  // ---- I/O ----

  void send(byte[]... parts) throws IOException {
    out.write(concat(parts));
    out.flush();
  }

  /** Sends, and ignores a reset: the server may close while a large packet is still being written. */
  void sendQuietly(byte[]... parts) {
    try {
      send(parts);
    } catch (IOException closedByServer) {
      // what is checked next is how it closed
    }
  }

  /** Connects and asserts a successful CONNACK. */
  Packet handshake(int version, String clientId) throws IOException {
    send(connect(version, clientId));
    Packet connack = read(Duration.ofSeconds(5));
    assertThat(connack.type()).as("CONNACK expected, got %s", connack).isEqualTo(CONNACK);
    assertThat(connack.reasonCode()).as("CONNACK reason code").isZero();
    return connack;
  }

  /** The next packet; fails if none arrives in time or the connection closes. */
  Packet read(Duration timeout) throws IOException {
    Packet p = readOrNull(timeout);
    if (p == null) {
      fail("no packet within %s", timeout);
    }
    return p;
  }

  /** The next packet, or null when none arrived within the timeout; EOFException when the server closed. */
  Packet readOrNull(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    int header;
    try {
      header = in.read();
    } catch (SocketTimeoutException e) {
      return null;
    }
    if (header < 0) {
      throw new EOFException("closed by the server");
    }
    socket.setSoTimeout(5000); // the rest of a packet that started must follow
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      int digit = in.read();
      if (digit < 0) {
        throw new EOFException("closed inside a remaining length");
      }
      length |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("closed inside a packet");
    }
    return new Packet(header, body);
  }

  /** Asserts that nothing at all arrives for a while (and the connection stays open). */
  void assertSilentFor(Duration quiet) throws IOException {
    Packet p = readOrNull(quiet);
    assertThat(p).as("no packet expected within %s", quiet).isNull();
  }

  /** Reads until the server closes the connection; fails if it is still open after the timeout. */
  Closed awaitClose(Duration timeout) throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<Packet> packets = new ArrayList<>();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return fail("connection still open after %s; received %s", timeout, packets);
      }
      try {
        Packet p = readOrNull(Duration.ofMillis(left));
        if (p != null) {
          packets.add(p);
        }
      } catch (EOFException | SocketException closed) {
        return new Closed(packets, (System.nanoTime() - start) / 1_000_000);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
