package io.linkgate.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Funs, external funs and bitstrings (what EMQX 5.x may leave in a forwarded message's {@code extra}) decode as
 * opaque terms and re-encode to OTP's bytes; malformed ones are refused within the decoder's limits.
 */
@Timeout(120)
class EtfForeignTermsTest {
  private static final Map<String, String> EXPRS = Map.of(
      "fun_closure", "begin Y = <<\"captured\">>, Z = {1, 2}, fun(X) -> {X, Y, Z} end end",
      "fun_plain", "fun() -> ok end",
      "fun_export", "fun lists:reverse/1",
      "bits_1", "<<1:1>>",
      "bits_19", "<<255, 5:3, 0:8>>",
      "mixed", "#{f => fun(A, B) -> A + B end, p => self(), r => make_ref(), b => <<3:2>>,"
          + " l => [fun erlang:node/0, <<7:3>> | <<1:4>>]}");
  private static Map<String, Result> results;

  @BeforeAll
  static void runErlang(@TempDir Path dir) throws Exception {
    List<Case> cases = new ArrayList<>();
    byte[] nil = {(byte) 131, 106};
    EXPRS.forEach((name, expr) -> cases.add(new Case(name, expr, nil, nil)));
    results = ErlangInterop.run(dir, cases);
  }

  @BeforeEach
  void erlangRan() {
    ErlangInterop.assumeRan(results);
  }

  @Test
  void decodeAsOpaqueAndReEncodeToOtpBytes() {
    for (Result r : results.values()) {
      Object term = Etf.decode(r.otp());
      assertThat(Etf.encode(term)).as(r.name()).isEqualTo(r.otp());
      // OTP's default minor version writes the atoms inside a fun in the Latin-1 form: the same term, other bytes
      assertThat(Etf.decode(r.otpCompressed())).as(r.name() + " compressed").hasSameClassAs(term);
    }
  }

  @Test
  void kindsAreNamed() {
    assertThat(((OpaqueTerm) Etf.decode(results.get("fun_closure").otp())).kind()).isEqualTo("fun");
    assertThat(((OpaqueTerm) Etf.decode(results.get("fun_export").otp())).kind()).isEqualTo("fun");
    assertThat(((OpaqueTerm) Etf.decode(results.get("bits_19").otp())).kind()).isEqualTo("bitstring");
    assertThat(Etf.format(Etf.decode(results.get("bits_1").otp()))).startsWith("#bitstring<");
  }

  @Test
  void aMapWithForeignKeysAndValuesDecodes() {
    Map<?, ?> m = (Map<?, ?>) Etf.decode(results.get("mixed").otp());
    assertThat(m).hasSize(5);
    assertThat(((OpaqueTerm) m.get(Atom.of("f"))).kind()).isEqualTo("fun");
    assertThat(((OpaqueTerm) m.get(Atom.of("b"))).kind()).isEqualTo("bitstring");
  }

  @Test
  void malformedFunsAreRefused() {
    byte[] fun = results.get("fun_closure").otp();
    rejects(new byte[] {(byte) 131, 112, 0, 0, 0, 0}, "size 0 out of range");
    // size field says one byte more / less than the parts take
    rejects(withSize(fun, size(fun) + 1), "out of range");
    byte[] padded = Arrays.copyOf(fun, fun.length + 1);
    padded[fun.length] = 106;
    rejects(withSize(padded, size(fun) + 1), "fun declares");
    rejects(withSize(fun, size(fun) - 1), "fun declares");
    // free-variable count larger than what remains
    byte[] many = fun.clone();
    many[2 + 4 + 1 + 16 + 4] = 0x7F;
    rejects(many, "fun free variables declares");
    rejects(Arrays.copyOf(fun, fun.length - 3), "");
  }

  @Test
  void funsCountAgainstTheLimits() {
    byte[] fun = results.get("fun_closure").otp();
    assertThatThrownBy(() -> Etf.decode(fun, EtfLimits.DEFAULT.withMaxTerms(3)))
        .isInstanceOf(EtfException.class).hasMessageContaining("terms");
    assertThatThrownBy(() -> Etf.decode(fun, EtfLimits.DEFAULT.withMaxDepth(1)))
        .isInstanceOf(EtfException.class).hasMessageContaining("nesting deeper than 1");
  }

  @Test
  void malformedExportsAndBitstringsAreRefused() {
    rejects(b(131, 113, 119, 1, 'm', 119, 1, 'f', 98, 0, 0, 0, 1), "arity of an external fun");
    rejects(b(131, 113, 97, 1, 119, 1, 'f', 97, 1), "module of an external fun is not an atom");
    rejects(b(131, 77, 0, 0, 0, 1, 0, 255), "bitstring of 1 bytes with 0 bits");
    rejects(b(131, 77, 0, 0, 0, 1, 9, 255), "with 9 bits");
    rejects(b(131, 77, 0, 0, 0, 0, 3), "bitstring of 0 bytes with 3 bits");
    rejects(b(131, 77, 0, 0, 0, 5, 3, 255), "bitstring declares 5 bytes");
  }

  @Test
  void everyTruncationAndByteFlipFailsCleanly() {
    for (Result r : results.values()) {
      byte[] good = r.otp();
      for (int len = 1; len < good.length; len++) {
        byte[] cut = Arrays.copyOf(good, len);
        assertThatThrownBy(() -> Etf.decode(cut)).as(r.name() + " cut at " + len).isInstanceOf(EtfException.class);
      }
      for (int i = 1; i < good.length; i++) {
        for (int v : new int[] {0, 1, 0x7F, 0x80, 0xFF}) {
          byte[] flipped = good.clone();
          flipped[i] = (byte) v;
          try {
            Etf.decode(flipped);
          } catch (EtfException expected) {
            // refused with the offset named: fine
          }
        }
      }
    }
  }

  private static int size(byte[] fun) {
    return ((fun[2] & 0xFF) << 24) | ((fun[3] & 0xFF) << 16) | ((fun[4] & 0xFF) << 8) | (fun[5] & 0xFF);
  }

  private static byte[] withSize(byte[] fun, int size) {
    byte[] b = fun.clone();
    b[2] = (byte) (size >>> 24);
    b[3] = (byte) (size >>> 16);
    b[4] = (byte) (size >>> 8);
    b[5] = (byte) size;
    return b;
  }

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static void rejects(byte[] bytes, String message) {
    assertThatThrownBy(() -> Etf.decode(bytes)).isInstanceOf(EtfException.class).hasMessageContaining(message);
  }
}
