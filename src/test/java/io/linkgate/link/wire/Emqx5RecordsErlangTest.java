package io.linkgate.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.etf.Binary;
import io.linkgate.etf.ErlangInterop;
import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import io.linkgate.etf.Etf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code #message{}} records shaped the way EMQX 5.x forwards them, built by a real Erlang VM: the channel's headers
 * (peerhost, peername, client_attrs, ...), an {@code extra} map forwarded as is with foreign terms in it (a fun, an
 * external fun, a pid, a reference, a bitstring), an iolist payload, and Latin-1 bytes where UTF-8 is expected
 * (EMQX 5.x's default {@code strict_mode = false} lets them through). Each must decode into the message a
 * subscriber can be given.
 */
@Timeout(120)
class Emqx5RecordsErlangTest {
  private static final String ID = "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15>>";
  /** What the channel of EMQX 5.8 puts in {@code headers} besides the properties. */
  private static final String HEADERS_5X = "client_attrs => #{<<\"tenant\">> => <<\"t1\">>},"
      + " peername => {{127,0,0,1}, 52011}, proto_ver => 5, protocol => mqtt, username => <<\"dev\">>,"
      + " peerhost => {127,0,0,1}";
  private static final String FOREIGN_EXTRA = "#{trace_ctx => #{span => make_ref(), owner => self(),"
      + " on_done => fun(X) -> X end, codec => fun erlang:term_to_binary/1, bits => <<5:3>>,"
      + " nested => [{ctx, make_ref(), <<1:1>>}]}}";

  private static Map<String, Result> results;

  @BeforeAll
  static void runErlang(@TempDir Path dir) throws Exception {
    List<Case> cases = new ArrayList<>();
    erlang(cases, "foreign_extra", record(2, "<<\"dev-1\">>", "#{dup => false, retain => false}",
        "#{" + HEADERS_5X + ", properties => #{}}", "<<\"t/x\">>", "<<\"hello\">>", FOREIGN_EXTRA));
    erlang(cases, "iolist_payload", record(1, "<<\"dev-1\">>", "#{dup => false, retain => false}",
        "#{properties => #{}}", "<<\"t/x\">>", "[<<\"hel\">>, $l, [<<\"o\">>, [], [$,]] | <<\" world\">>]", "#{}"));
    erlang(cases, "string_payload", record(1, "<<\"dev-1\">>", "#{}", "#{}", "<<\"t/x\">>", "\"abc\"", "#{}"));
    erlang(cases, "latin1", record(1, "<<\"d\", 233, \"v\">>", "#{dup => false, retain => true}",
        "#{" + HEADERS_5X + ", properties => #{'User-Property' => [{<<\"k\">>, <<\"v\">>},"
            + " {<<\"caf\", 233>>, <<\"x\">>}, {<<\"k2\">>, <<\"ol\", 233>>}, {<<\"k\">>, <<\"w\">>},"
            + " {<<\"nul\">>, <<\"a\", 0, \"b\">>}],"
            + " 'Content-Type' => <<\"text/plain; charset=\", 233>>, 'Response-Topic' => <<\"r/\", 255>>,"
            + " 'Message-Expiry-Interval' => 30}}",
        "<<\"t/x\">>", "<<\"p\">>", "#{}"));
    erlang(cases, "bad_iolist", record(1, "<<\"d\">>", "#{}", "#{}", "<<\"t/x\">>", "[<<\"a\">>, 256]", "#{}"));
    erlang(cases, "latin1_topic", record(1, "<<\"d\">>", "#{}", "#{}", "<<\"t/\", 233>>", "<<>>", "#{}"));
    results = ErlangInterop.run(dir, cases);
  }

  @BeforeEach
  void erlangRan() {
    ErlangInterop.assumeRan(results);
  }

  private static String record(int qos, String from, String flags, String headers, String topic, String payload,
                               String extra) {
    return "{message, " + ID + ", " + qos + ", " + from + ", " + flags + ", " + headers + ", " + topic + ", "
        + payload + ", 1754550000123, " + extra + "}";
  }

  /** Only OTP's encoding of the expression is used; the Java bytes are a placeholder ([]). */
  private static void erlang(List<Case> cases, String name, String expr) {
    byte[] nil = {(byte) 131, 106};
    cases.add(new Case(name, expr, nil, nil));
  }

  private static byte[] otp(String name) {
    return results.get(name).otp();
  }

  @Test
  void foreignTermsInExtraAndHeadersAreSkipped() {
    ForwardedMessage m = ForwardedMessage.decode(otp("foreign_extra"));
    assertThat(m.qos()).isEqualTo(2);
    assertThat(m.topic()).isEqualTo("t/x");
    assertThat(m.payload().utf8()).isEqualTo("hello");
    assertThat(m.from()).isEqualTo("dev-1");
    // and the compressed form EMQX 6.0.3+ would send
    assertThat(ForwardedMessage.decode(results.get("foreign_extra").otpCompressed())).isEqualTo(m);
  }

  @Test
  void foreignTermsReEncodeByteForByte() {
    byte[] otp = otp("foreign_extra");
    assertThat(Etf.encode(Etf.decode(otp))).isEqualTo(otp);
  }

  @Test
  void iolistPayloadsAreFlattened() {
    assertThat(ForwardedMessage.decode(otp("iolist_payload")).payload().utf8()).isEqualTo("hello, world");
    assertThat(ForwardedMessage.decode(otp("string_payload")).payload().utf8()).isEqualTo("abc");
  }

  @Test
  void invalidUtf8PropertiesAreDroppedOneByOneAndTheMessageKept() {
    ForwardedMessage m = ForwardedMessage.decode(otp("latin1"));
    assertThat(m.properties().userProperties())
        .containsExactly(new UserProperty("k", "v"), new UserProperty("k", "w"));
    assertThat(m.properties().contentType()).isNull();
    assertThat(m.properties().responseTopic()).isNull();
    assertThat(m.properties().messageExpiryInterval()).isEqualTo(30L);
    assertThat(m.retain()).isTrue();
    // the client id is never delivered as text: kept, with a replacement character
    assertThat(m.from()).isEqualTo("d\uFFFDv");
  }

  @Test
  void theDroppedPropertiesAreReported() {
    DecodedMessage d = ForwardedMessage.decodeWithReport(otp("latin1"));
    assertThat(d.droppedProperties())
        .containsExactly("User-Property", "User-Property", "User-Property", "Content-Type", "Response-Topic");
    assertThat(ForwardedMessage.decodeWithReport(otp("foreign_extra")).droppedProperties()).isEmpty();
  }

  @Test
  void whatCannotBeDeliveredIsStillRefused() {
    assertThatThrownBy(() -> ForwardedMessage.decode(otp("bad_iolist")))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining("message payload element");
    assertThatThrownBy(() -> ForwardedMessage.decode(otp("latin1_topic")))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining("message topic: expected UTF-8 text");
  }

  @Test
  void latin1IsReallyWhatErlangSent() {
    // guards the fixture itself: the bytes are Latin-1, not UTF-8
    byte[] b = otp("latin1");
    String asLatin1 = new String(b, StandardCharsets.ISO_8859_1);
    assertThat(asLatin1).contains("caf\u00e9").doesNotContain("caf\u00c3\u00a9");
    assertThat(Binary.of(b).size()).isGreaterThan(0);
  }
}
