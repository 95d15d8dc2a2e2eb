package io.linkgate.etf;

import static io.linkgate.etf.T.atom;
import static io.linkgate.etf.T.bin;
import static io.linkgate.etf.T.bytes;
import static io.linkgate.etf.T.list;
import static io.linkgate.etf.T.map;
import static io.linkgate.etf.T.tuple;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of src/test/erlang/etf_fixtures.escript: the same names and terms. The fixture
 * files hold OTP's encodings of these terms.
 */
public final class EtfFixtureTerms {
  private EtfFixtureTerms() {
  }

  public static final Binary MSG_ID =
      bytes(0x06, 0x3A, 0x1B, 0x2C, 0, 0, 0, 1, 0xF0, 0x0D, 0xBE, 0xEF, 1, 2, 3, 4);

  /** Every fixture except the opaque one, whose pid/ref values are not known in advance. */
  public static Map<String, Object> all() {
    Map<String, Object> m = new LinkedHashMap<>();
    scalars(m);
    compounds(m);
    control(m);
    messages(m);
    return m;
  }

  private static void scalars(Map<String, Object> m) {
    m.put("int_0", 0L);
    m.put("int_255", 255L);
    m.put("int_256", 256L);
    m.put("int_neg1", -1L);
    m.put("int_max32", 2147483647L);
    m.put("int_min32", -2147483648L);
    m.put("big_2_31", 2147483648L);
    m.put("big_neg_2_31_minus1", -2147483649L);
    m.put("big_ms_timestamp", 1754550000000L);
    m.put("big_long_max", Long.MAX_VALUE);
    m.put("big_long_min", Long.MIN_VALUE);
    m.put("big_2_64", BigInteger.ONE.shiftLeft(64));
    m.put("big_neg_2_100", BigInteger.ONE.shiftLeft(100).negate());
    m.put("big_large", BigInteger.ONE.shiftLeft(2100));
    m.put("float_1_5", 1.5);
    m.put("float_neg_0_1", -0.1);
    m.put("float_1e300", 1.0e300);
    m.put("atom_ok", atom("ok"));
    m.put("atom_op", atom("$op"));
    m.put("atom_empty", atom(""));
    m.put("atom_latin1", atom("ä"));
    m.put("atom_cjk", atom("ジ"));
    m.put("atom_255", atom("a".repeat(255)));
    m.put("atom_255_utf8", atom("ä".repeat(255)));
    m.put("bin_empty", Binary.EMPTY);
    m.put("bin_text", bin("t/1"));
    m.put("bin_bytes", bytes(0, 1, 255));
    byte[] k = new byte[1000];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) ((i + 1) % 7);
    }
    m.put("bin_1k", Binary.of(k));
  }

  private static void compounds(Map<String, Object> m) {
    m.put("tuple_empty", tuple());
    m.put("tuple_pair", tuple(bin("t/#"), bin("t/#")));
    m.put("tuple_large", new Tuple(seq(1, 300)));
    m.put("nil", list());
    m.put("string_abc", list(97L, 98L, 99L));
    m.put("string_bytes", list(0L, 255L));
    m.put("string_200", seq(1, 200));
    m.put("list_mixed", list(1L, 300L, atom("a"), bin("b"), 2.5));
    m.put("list_improper", new ImproperList(list(1L), 2L));
    m.put("list_improper_long", new ImproperList(list(atom("a"), atom("b")), bin("c")));
    m.put("list_nested", list(list(1L), list(list()), tuple(atom("x"), list())));
    m.put("map_empty", map());
    m.put("map_mixed_keys", map(1L, atom("x"), atom("a"), 2L, atom("b"), 1L, bin("z"), 1L,
        tuple(atom("t")), 2L, list(1L), 3L));
    m.put("map_nested", map(bin("k"), map(atom("a"), list(map()))));
    m.put("map_int_float_keys", map(1.0, atom("a"), 2L, atom("b"), tuple(1.0), atom("c"),
        tuple(2L), atom("d"), BigInteger.ONE.shiftLeft(70), atom("e")));
    Map<Object, Object> forty = new LinkedHashMap<>();
    for (long i = 1; i <= 40; i++) {
      forty.put(i, bin("v"));
    }
    m.put("map_40_keys", forty);
  }

  private static void control(Map<String, Object> m) {
    Atom op = atom("$op");
    Binary actor = bin("emqx@10.0.0.1");
    m.put("ctrl_actor_init", map(op, bin("actor_init"), 14L, 1L, 13L, bin("clusterB"),
        10L, actor, 11L, 1754550000000L));
    m.put("ctrl_actor_init_ack_ok", map(op, bin("actor_init_ack"), 14L, 1L, 10L, actor,
        15L, atom("ok"), 16L, atom("true")));
    m.put("ctrl_actor_init_ack_error", map(op, bin("actor_init_ack"), 14L, 1L, 10L, actor,
        15L, tuple(atom("error"), bin("bad_remote_cluster_link_name")), 16L, atom("undefined")));
    m.put("ctrl_route", map(op, bin("route"), 10L, actor, 11L, 1754550000000L, 12L, list(
        tuple(bin("t/+"), bin("t/+")),
        tuple(100L, bin("a/#"), bin("$s/g1/a/#")),
        tuple(bin("t/1/#"), bin("$p/sess1/t/1/#")))));
    List<Object> routes = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      routes.add(tuple(bin("t/" + i + "/#"), bin("t/+/" + i)));
    }
    m.put("ctrl_route_batch", map(op, bin("route"), 10L, bin("ps-routes-v1"),
        11L, 1754550000001L, 12L, routes));
    m.put("ctrl_heartbeat", map(op, bin("heartbeat"), 10L, actor, 11L, 1754550000000L));
  }

  private static void messages(Map<String, Object> m) {
    Atom message = atom("message");
    Map<Object, Object> noFlags = map(atom("dup"), Atom.FALSE, atom("retain"), Atom.FALSE);
    m.put("msg_minimal", tuple(message, MSG_ID, 0L, bin("c1"), noFlags,
        map(atom("properties"), map()), bin("t/1"), Binary.EMPTY, 1754550000123L, map()));
    Map<Object, Object> props = map(
        atom("User-Property"), list(tuple(bin("k"), bin("v1")), tuple(bin("k"), bin("v2")),
            tuple(bin("ü"), Binary.EMPTY)),
        atom("Content-Type"), bin("application/json"),
        atom("Response-Topic"), bin("reply/here"),
        atom("Correlation-Data"), bytes(0, 1, 2, 255),
        atom("Message-Expiry-Interval"), 3600L,
        atom("Payload-Format-Indicator"), 1L);
    m.put("msg_props", tuple(message, MSG_ID, 1L, bin("client-ü"),
        map(atom("dup"), Atom.TRUE, atom("retain"), Atom.TRUE), map(atom("properties"), props),
        bin("a/b/c"), bin("{\"x\":1}"), 1754550000123L, map()));
    m.put("msg_emqx", tuple(message, MSG_ID, 2L, bin("sensor-42"),
        map(atom("dup"), Atom.FALSE, atom("retain"), Atom.FALSE, atom("sys"), Atom.FALSE),
        map(atom("proto_ver"), 5L, atom("protocol"), atom("mqtt"), atom("username"), bin("alice"),
            atom("peerhost"), tuple(127L, 0L, 0L, 1L),
            atom("peername"), tuple(tuple(127L, 0L, 0L, 1L), 51234L),
            atom("client_attrs"), map(bin("tns"), bin("t1")),
            atom("properties"), map(atom("User-Property"), list(tuple(bin("a"), bin("1"))),
                atom("Topic-Alias"), 3L)),
        bin("sensors/42/temp"), bin("21.5"), 1754550000999L, map()));
    m.put("msg_emqx_v6", tuple(message, MSG_ID, 1L, atom("emqx_sys"),
        map(atom("retain"), Atom.FALSE),
        map(atom("username"), atom("undefined"), atom("peerhost"),
            tuple(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), atom("properties"), map()),
        bin("$SYS/brokers"), bin("x"), 1754550000999L,
        map(atom("link_origin"), bin("clusterA"))));
    m.put("msg_large_payload", tuple(message, MSG_ID, 1L, bin("c1"), noFlags,
        map(atom("properties"), map()), bin("big/1"),
        bin("0123456789abcdef".repeat(256)), 1754550000123L, map()));
  }

  private static List<Object> seq(int from, int to) {
    List<Object> l = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      l.add(i);
    }
    return l;
  }

  /** Reads a fixture file from the test classpath. */
  public static byte[] read(String file) {
    try (var in = EtfFixtureTerms.class.getResourceAsStream("/etf/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture /etf/" + file
            + " (regenerate with scripts/etf-fixtures.sh)");
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
