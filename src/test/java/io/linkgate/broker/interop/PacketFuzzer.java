package io.linkgate.broker.interop;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.linkgate.broker.interop.RawMqtt.bin;
import static io.linkgate.broker.interop.RawMqtt.bytes;
import static io.linkgate.broker.interop.RawMqtt.concat;
import static io.linkgate.broker.interop.RawMqtt.packet;
import static io.linkgate.broker.interop.RawMqtt.str;

/**
 * Makes MQTT packets from a seeded {@link Random}: well-formed ones of every type and both versions, and broken
 * ones made from them (bit flips, truncation, wrong or huge remaining lengths, 5-byte lengths, reserved flag bits,
 * ill-formed UTF-8, garbage properties), plus plain random bytes. Same seed, same bytes.
 */
final class PacketFuzzer {
  /** Valid topic names, a few of which the broker refuses to route ($SYS, $LINK). */
  private static final String[] NAMES = {"fuzz/a", "fuzz/b/c", "fuzz/a", "fuzz/e", "fuzz//d", "fuzz/\u00e9", "/",
    "fuzz/f/g/h", "$SYS/x", "$LINK/cluster/msg/x", "$LINK/cluster/route/x"};
  /**
   * Filters to subscribe to. No "#" or "fuzz/#": thousands of short-lived subscribers to everything turn each fuzz
   * PUBLISH into hundreds of deliveries, which measures fan-out on a busy machine rather than hostile input.
   */
  private static final String[] FILTERS = {"fuzz/a", "fuzz/+", "+/x", "$SYS/#", "$LINK/#", "$share/g/fuzz/a",
    "fuzz/b/c", "fuzz/#/x", ""};
  private final Random random;

  PacketFuzzer(Random random) {
    this.random = random;
  }

  /** A valid CONNECT that opens a session, so what follows reaches the broker's packet handling. */
  byte[] connect(int version) {
    String clientId = "fz-" + Integer.toHexString(random.nextInt());
    boolean clean = random.nextInt(4) != 0;
    return RawMqtt.connect(version, clientId, random.nextInt(3) * 30, clean, null);
  }

  /** One packet: valid, or (with {@code badPercent} % chance) broken or plain noise. */
  byte[] next(int version, int badPercent) {
    if (random.nextInt(100) >= badPercent) {
      return valid(version);
    }
    if (random.nextInt(4) != 0) {
      return mutate(valid(version));
    }
    byte[] noise = new byte[1 + random.nextInt(64)];
    random.nextBytes(noise);
    return noise;
  }

  private String name() {
    return NAMES[random.nextInt(NAMES.length)];
  }

  private String filter() {
    return FILTERS[random.nextInt(FILTERS.length)];
  }

  private byte[] props(int version) {
    if (version != 5) {
      return new byte[0];
    }
    return switch (random.nextInt(4)) {
      case 0 -> bytes(0);
      case 1 -> RawMqtt.props(bytes(0x02, 0, 0, 0, random.nextInt(100))); // message expiry
      case 2 -> RawMqtt.props(bytes(0x23, 0, 1 + random.nextInt(3))); // topic alias
      default -> RawMqtt.props(bytes(0x26), str("k"), str("v")); // user property
    };
  }

  byte[] valid(int version) {
    int id = 1 + random.nextInt(0xFFFF);
    return switch (random.nextInt(12)) {
      case 0, 1, 2, 9, 10 -> {
        int qos = random.nextInt(3);
        byte[] payload = new byte[random.nextInt(100)];
        random.nextBytes(payload);
        yield packet(0x30 | qos << 1 | (random.nextInt(8) == 0 ? 1 : 0), str(name()),
          qos > 0 ? bytes(id >> 8, id) : new byte[0], props(version), payload);
      }
      case 3 -> packet(0x82, bytes(id >> 8, id), props(version), str(filter()), bytes(random.nextInt(3)));
      case 4 -> packet(0xA2, bytes(id >> 8, id), props(version), str(filter()));
      case 5 -> bytes(0xC0, 0); // PINGREQ
      case 6 -> bytes(0x40, 2, id >> 8, id); // PUBACK
      case 7 -> bytes(0x62, 2, id >> 8, id); // PUBREL
      case 8 -> random.nextInt(50) == 0 ? connect(version) : bytes(0xC0, 0); // a second CONNECT is an error
      default -> random.nextInt(50) == 0 ? bytes(0xE0, 0) : random.nextInt(50) == 0 ? bytes(0xF0, 0) // DISCONNECT, AUTH
        : bytes(0xC0, 0);
    };
  }

  byte[] mutate(byte[] p) {
    byte[] m = p.clone();
    switch (random.nextInt(8)) {
      case 0 -> { // flip a few bits
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return m;
      }
      case 1 -> { // truncated
        return java.util.Arrays.copyOf(m, random.nextInt(m.length));
      }
      case 2 -> { // remaining length that does not match
        m[1] = (byte) random.nextInt(128);
        return m;
      }
      case 3 -> { // huge remaining length, then little data
        return concat(bytes(m[0] & 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), java.util.Arrays.copyOfRange(m, 2, m.length));
      }
      case 4 -> { // a remaining length in 5 bytes
        return concat(bytes(m[0] & 0xFF, 0x80, 0x80, 0x80, 0x80, 0x01), java.util.Arrays.copyOfRange(m, 2, m.length));
      }
      case 5 -> { // reserved flag bits in the first byte
        m[0] = (byte) ((m[0] & 0xF0) | random.nextInt(16));
        return m;
      }
      case 6 -> { // ill-formed UTF-8 or U+0000 in a topic
        byte[] bad = random.nextBoolean() ? bytes(0xC3, 0x28) : random.nextBoolean() ? bytes(0xED, 0xA0, 0x80)
          : bytes(0x00);
        return packet(0x30, bin(concat("fuzz/".getBytes(StandardCharsets.UTF_8), bad)), bytes(0));
      }
      default -> { // garbage where the properties go
        byte[] junk = new byte[1 + random.nextInt(16)];
        random.nextBytes(junk);
        return packet(0x32, str("fuzz/p"), bytes(0, 1), junk);
      }
    }
  }
}
