package io.linkgate.etf;

import static io.linkgate.etf.T.atom;
import static io.linkgate.etf.T.bin;
import static io.linkgate.etf.T.list;
import static io.linkgate.etf.T.map;
import static io.linkgate.etf.T.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/** One test per tag, with hand-written bytes from the ETF specification. */
class EtfCodecTest {
  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static void roundTrip(Object term, int... bytes) {
    assertThat(Etf.encode(term)).containsExactly(b(bytes));
    assertThat(Etf.decode(b(bytes))).isEqualTo(term);
  }

  @Test
  void smallInteger97() {
    roundTrip(0L, 131, 97, 0);
    roundTrip(255L, 131, 97, 255);
  }

  @Test
  void integer98() {
    roundTrip(256L, 131, 98, 0, 0, 1, 0);
    roundTrip(-1L, 131, 98, 255, 255, 255, 255);
    roundTrip((long) Integer.MIN_VALUE, 131, 98, 128, 0, 0, 0);
  }

  @Test
  void smallBig110() {
    roundTrip(1L << 31, 131, 110, 4, 0, 0, 0, 0, 128);
    roundTrip(-(1L << 40), 131, 110, 6, 1, 0, 0, 0, 0, 0, 1);
    roundTrip(Long.MIN_VALUE, 131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 128);
    roundTrip(BigInteger.ONE.shiftLeft(64), 131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void bigIntegersThatFitALongDecodeAsLong() {
    // Non-canonical but valid: 5 as an 8-byte bignum, like Erlang we get the small integer.
    assertThat(Etf.decode(b(131, 110, 8, 0, 5, 0, 0, 0, 0, 0, 0, 0))).isEqualTo(5L);
    assertThat(Etf.decode(b(131, 110, 0, 0))).isEqualTo(0L);
    assertThat(Etf.encode(BigInteger.valueOf(7))).containsExactly(b(131, 97, 7));
  }

  @Test
  void largeBig111() {
    BigInteger v = BigInteger.ONE.shiftLeft(8 * 256);
    byte[] enc = Etf.encode(v.negate());
    assertThat(enc).startsWith(b(131, 111, 0, 0, 1, 1, 1));
    assertThat(enc).hasSize(7 + 257);
    assertThat(enc[enc.length - 1]).isEqualTo((byte) 1);
    assertThat(Etf.decode(enc)).isEqualTo(v.negate());
  }

  @Test
  void newFloat70() {
    roundTrip(1.5, 131, 70, 63, 248, 0, 0, 0, 0, 0, 0);
    assertThat(Etf.encode(1.5f)).containsExactly(b(131, 70, 63, 248, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void atomsEncodeAsUtf8AndDecodeLegacyForms() {
    roundTrip(atom("ok"), 131, 119, 2, 'o', 'k');
    roundTrip(atom("ä"), 131, 119, 2, 0xC3, 0xA4);
    byte[] longAtom = Etf.encode(atom("ä".repeat(255)));
    assertThat(longAtom).startsWith(b(131, 118, 0x01, 0xFE));
    assertThat(Etf.decode(longAtom)).isEqualTo(atom("ä".repeat(255)));
    assertThat(Etf.decode(b(131, 100, 0, 2, 'o', 'k'))).isEqualTo(atom("ok"));
    assertThat(Etf.decode(b(131, 115, 2, 'o', 'k'))).isEqualTo(atom("ok"));
    assertThat(Etf.decode(b(131, 100, 0, 1, 228))).isEqualTo(atom("ä"));
  }

  @Test
  void booleansEncodeAsAtoms() {
    assertThat(Etf.encode(true)).containsExactly(Etf.encode(Atom.TRUE));
    assertThat(Etf.decode(Etf.encode(false))).isEqualTo(Atom.FALSE);
  }

  @Test
  void binary109() {
    roundTrip(Binary.EMPTY, 131, 109, 0, 0, 0, 0);
    roundTrip(bin("t/1"), 131, 109, 0, 0, 0, 3, 't', '/', '1');
  }

  @Test
  void tuples104And105() {
    roundTrip(tuple(), 131, 104, 0);
    roundTrip(tuple(1L, atom("a")), 131, 104, 2, 97, 1, 119, 1, 'a');
    List<Object> items = new ArrayList<>(Collections.nCopies(256, (Object) 0L));
    byte[] large = Etf.encode(new Tuple(items));
    assertThat(large).startsWith(b(131, 105, 0, 0, 1, 0, 97, 0));
    assertThat(Etf.decode(large)).isEqualTo(new Tuple(items));
  }

  @Test
  void nil106ListAndString() {
    roundTrip(list(), 131, 106);
    roundTrip(list(1L, atom("a")), 131, 108, 0, 0, 0, 2, 97, 1, 119, 1, 'a', 106);
    roundTrip(list(97L, 98L), 131, 107, 0, 2, 'a', 'b');
    assertThat(Etf.encode(List.of(1, 2))).containsExactly(b(131, 107, 0, 2, 1, 2));
    roundTrip(list(1L, 256L), 131, 108, 0, 0, 0, 2, 97, 1, 98, 0, 0, 1, 0, 106);
  }

  @Test
  void improperListsAreRepresented() {
    roundTrip(new ImproperList(list(1L), atom("t")), 131, 108, 0, 0, 0, 1, 97, 1, 119, 1, 't');
    // [1 | [2]] on the wire is the proper list [1, 2], as in Erlang.
    assertThat(Etf.decode(b(131, 108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 1, 97, 2, 106)))
        .isEqualTo(list(1L, 2L));
    assertThatThrownBy(() -> new ImproperList(list(1L), list()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void map116KeysSortedInTermOrder() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(bin("z"), 1L);
    m.put(atom("b"), 2L);
    m.put(atom("a"), 3L);
    m.put(10L, 4L);
    roundTrip(m, 131, 116, 0, 0, 0, 4,
        97, 10, 97, 4,
        119, 1, 'a', 97, 3,
        119, 1, 'b', 97, 2,
        109, 0, 0, 0, 1, 'z', 97, 1);
  }

  @Test
  void mapKeyOrderPutsIntegersBeforeFloatsAtAnyDepth() {
    byte[] enc = Etf.encode(map(tuple(1.0), atom("a"), tuple(2L), atom("b"), 0.5, atom("c"),
        1000L, atom("d")));
    assertThat(enc).startsWith(b(131, 116, 0, 0, 0, 4, 98, 0, 0, 3, 232, 119, 1, 'd',
        70, 63, 224, 0, 0, 0, 0, 0, 0, 119, 1, 'c', 104, 1, 97, 2));
  }

  @Test
  void decodedMapsKeepWireOrderAndLookUpByErlangEquality() {
    byte[] wire = b(131, 116, 0, 0, 0, 2, 119, 1, 'b', 97, 1, 119, 1, 'a', 97, 2);
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) Etf.decode(wire);
    assertThat(m.keySet()).containsExactly(atom("b"), atom("a"));
    assertThat(m.get(atom("a"))).isEqualTo(2L);
    assertThat(m).isEqualTo(map(atom("a"), 2L, atom("b"), 1L));
    @SuppressWarnings("unchecked")
    Map<Object, Object> ints = (Map<Object, Object>) Etf.decode(Etf.encode(map(10L, atom("x"))));
    assertThat(ints.get(10)).isEqualTo(atom("x"));
    assertThat(ints.get("not a term")).isNull();
  }

  @Test
  void compressed80() throws Exception {
    byte[] plain = Etf.encode(bin("a".repeat(100)));
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
      d.write(plain, 1, plain.length - 1);
    }
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.write(b(131, 80, 0, 0, 0, plain.length - 1));
    wire.write(z.toByteArray());
    assertThat(Etf.decode(wire.toByteArray())).isEqualTo(bin("a".repeat(100)));
    byte[] ours = Etf.encodeCompressed(bin("a".repeat(100)));
    assertThat(ours).startsWith(b(131, 80, 0, 0, 0, plain.length - 1));
    assertThat(ours.length).isLessThan(plain.length);
    assertThat(Etf.encodeCompressed(atom("ok"))).containsExactly(Etf.encode(atom("ok")));
  }

  @Test
  void encoderRejectsWhatErlangCannotHold() {
    assertThatThrownBy(() -> Etf.encode("text")).isInstanceOf(EtfException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> Etf.encode(Arrays.asList(1L, null))).isInstanceOf(EtfException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> Etf.encode(Double.NaN)).isInstanceOf(EtfException.class);
    Map<Object, Object> dup = new LinkedHashMap<>();
    dup.put(1, atom("a"));
    dup.put(1L, atom("b"));
    assertThatThrownBy(() -> Etf.encode(dup)).isInstanceOf(EtfException.class)
        .hasMessageContaining("two keys");
    Object deep = list();
    for (int i = 0; i < 65; i++) {
      deep = tuple(deep);
    }
    Object tooDeep = deep;
    assertThatThrownBy(() -> Etf.encode(tooDeep)).isInstanceOf(EtfException.class)
        .hasMessageContaining("deeper than 64");
    assertThatThrownBy(() -> Atom.of("a".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void binaryHasValueSemantics() {
    assertThat(bin("x")).isEqualTo(Binary.of(new byte[] {'x'})).hasSameHashCodeAs(bin("x"));
    byte[] src = {1, 2};
    Binary copy = Binary.of(src);
    src[0] = 9;
    assertThat(copy.byteAt(0)).isEqualTo((byte) 1);
    assertThat(copy.asReadOnlyBuffer().isReadOnly()).isTrue();
    assertThat(bin("ü").utf8()).isEqualTo("ü");
    assertThatThrownBy(() -> Binary.of(new byte[] {(byte) 0xC3}).utf8())
        .isInstanceOf(EtfException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void formatsAsErlangSource() {
    Object t = tuple(atom("message"), atom("$op"), bin("a\"b"), T.bytes(0, 255), list(1L, 2.5),
        map(atom("k"), list()), new ImproperList(list(atom("end")), atom("x")));
    assertThat(Etf.format(t)).isEqualTo(
        "{message,'$op',<<\"a\\\"b\">>,<<0,255>>,[1,2.5],#{k => []},['end'|x]}");
    assertThat(Etf.format(bin("x".repeat(100)), 10)).hasSize(13).endsWith("...");
  }
}
