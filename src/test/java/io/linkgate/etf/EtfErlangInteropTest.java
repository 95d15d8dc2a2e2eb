package io.linkgate.etf;

import static io.linkgate.etf.T.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live round trip through Erlang/OTP, one VM start for the whole class: Erlang decodes what Java
 * encoded (plain and compressed) and compares it with an Erlang expression of the same term, and
 * Java decodes what OTP encoded from that expression. Hand-written expressions are an independent
 * oracle; for the random terms the expression is {@link Etf#format}, checked by Erlang's parser.
 */
class EtfErlangInteropTest {
  private static final Map<String, Object> TERMS = new LinkedHashMap<>();
  private static Map<String, Result> results;

  @BeforeAll
  static void runErlang(@TempDir Path dir) throws Exception {
    List<Case> cases = new ArrayList<>();
    handWritten(cases);
    RandomTerms gen = new RandomTerms(20260807L);
    for (int i = 0; i < 300; i++) {
      Object t = gen.next(4);
      add(cases, String.format("r%03d", i), t, Etf.format(t));
    }
    results = ErlangInterop.run(dir, cases);
    if (results != null) {
      assertThat(results).hasSize(cases.size());
    }
  }

  @BeforeEach
  void erlangRan() {
    ErlangInterop.assumeRan(results);
  }

  private static void add(List<Case> cases, String name, Object term, String erlang) {
    TERMS.put(name, term);
    cases.add(new Case(name, erlang, Etf.encode(term), Etf.encodeCompressed(term)));
  }

  private static void handWritten(List<Case> c) {
    add(c, "h_ints", T.list(0L, 255L, 256L, -1L, 1L << 31, -(1L << 31) - 1, Long.MIN_VALUE,
        new java.math.BigInteger("123456789012345678901234567890")),
        "[0, 255, 256, -1, 2147483648, -2147483649, -9223372036854775808,"
            + " 123456789012345678901234567890]");
    add(c, "h_big_large", java.math.BigInteger.ONE.shiftLeft(4000).negate(), "-(1 bsl 4000)");
    add(c, "h_floats", T.list(1.5, -0.25, 1.0e-10, 6.02214076e23),
        "[1.5, -0.25, 1.0e-10, 6.02214076e23]");
    add(c, "h_atoms", T.list(T.atom("ok"), T.atom("$op"), T.atom("ä"), T.atom("ジ"),
        T.atom("x".repeat(255)), T.atom("é".repeat(200))),
        "['ok', '$op', 'ä', 'ジ', list_to_atom(lists:duplicate(255, $x)),"
            + " list_to_atom(lists:duplicate(200, 16#e9))]");
    add(c, "h_binaries", T.tuple(Binary.EMPTY, T.bin("t/1"), T.bytes(0, 255),
        T.bin("z".repeat(5000))),
        "{<<>>, <<\"t/1\">>, <<0, 255>>, binary:copy(<<\"z\">>, 5000)}");
    add(c, "h_lists", T.list(T.list(), T.list(97L, 98L), T.list(1L, 256L),
        new ImproperList(T.list(1L), 2L)), "[[], \"ab\", [1, 256], [1 | 2]]");
    add(c, "h_large_tuple", new Tuple(new ArrayList<>(java.util.Collections.nCopies(300,
        (Object) T.atom("a")))), "erlang:make_tuple(300, a)");
    Map<Object, Object> big = new LinkedHashMap<>();
    for (long i = 50; i >= 1; i--) {
      big.put(i, T.bin("v" + i));
    }
    add(c, "h_map_50", big,
        "maps:from_list([{I, <<\"v\", (integer_to_binary(I))/binary>>} || I <- lists:seq(1, 50)])");
    add(c, "h_map_mixed", T.map(T.bin("z"), 1L, T.atom("b"), 2L, T.atom("a"), 3L, 10L, 4L,
        T.tuple(T.atom("t")), 5L, T.list(1L), 6L, 1.0, 7L),
        "#{<<\"z\">> => 1, b => 2, a => 3, 10 => 4, {t} => 5, [1] => 6, 1.0 => 7}");
    add(c, "h_emqx_message", T.tuple(T.atom("message"), T.bytes(1, 2, 3), 1L, T.bin("c"),
        T.map(T.atom("retain"), Atom.TRUE, T.atom("dup"), Atom.FALSE),
        T.map(T.atom("properties"), T.map(T.atom("User-Property"),
            T.list(T.tuple(T.bin("k"), T.bin("v"))))),
        T.bin("t/1"), T.bin("hi"), 1754550000123L, T.map()),
        "{message, <<1,2,3>>, 1, <<\"c\">>, #{dup => false, retain => true},"
            + " #{properties => #{'User-Property' => [{<<\"k\">>, <<\"v\">>}]}},"
            + " <<\"t/1\">>, <<\"hi\">>, 1754550000123, #{}}");
    Object deep = T.list();
    for (int i = 0; i < 60; i++) {
      deep = T.tuple(deep);
    }
    add(c, "h_deep_60", deep,
        "lists:foldl(fun(_, Acc) -> {Acc} end, [], lists:seq(1, 60))");
  }

  private static List<String> failures(java.util.function.Predicate<Result> ok,
      java.util.function.Function<Result, String> detail) {
    List<String> bad = new ArrayList<>();
    for (Result r : results.values()) {
      if (!ok.test(r)) {
        bad.add(r.name() + " " + Etf.format(TERMS.get(r.name()), 200) + " -> " + detail.apply(r));
      }
    }
    return bad;
  }

  @Test
  void erlangDecodesJavaPlainEncoding() {
    assertThat(failures(r -> r.decode().equals("ok"), Result::decode)).isEmpty();
  }

  @Test
  void erlangDecodesJavaCompressedEncoding() {
    assertThat(failures(r -> r.decodeCompressed().equals("ok"), Result::decodeCompressed))
        .isEmpty();
  }

  @Test
  void javaPlainBytesEqualOtpDeterministicEncoding() {
    assertThat(failures(Result::bytesEqual, r -> "java " + hex(Etf.encode(TERMS.get(r.name())))))
        .isEmpty();
  }

  @Test
  void javaDecodesOtpEncodings() {
    assertThat(failures(r -> TERMS.get(r.name()).equals(Etf.decode(r.otp()))
        && TERMS.get(r.name()).equals(Etf.decode(r.otpCompressed())),
        r -> "otp " + hex(r.otp()))).isEmpty();
  }

  @Test
  void javaCompressesWhenOtpDoes() {
    assertThat(failures(r -> (Etf.encodeCompressed(TERMS.get(r.name()))[1] == 80)
        == (r.otpCompressed()[1] == 80), r -> "otp " + hex(r.otpCompressed()))).isEmpty();
  }
}
