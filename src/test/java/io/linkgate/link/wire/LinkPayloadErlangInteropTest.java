package io.linkgate.link.wire;

import static io.linkgate.etf.T.bytes;
import static io.linkgate.etf.T.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.etf.Binary;
import io.linkgate.etf.ErlangInterop;
import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import io.linkgate.etf.Etf;
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
 * Our payload records against Erlang terms written the way emqx_cluster_link_mqtt.erl builds
 * them: Erlang decodes ours with {@code binary_to_term(B, [safe])} and compares, Java decodes
 * OTP's {@code term_to_binary} of the Erlang term into the same record. One VM start.
 */
class LinkPayloadErlangInteropTest {
  private static final Map<String, Object> RECORDS = new LinkedHashMap<>();
  private static Map<String, Result> results;

  @BeforeAll
  static void runErlang(@TempDir Path dir) throws Exception {
    List<Case> cases = new ArrayList<>();
    String actor = "<<\"emqx@10.0.0.1\">>";
    control(cases, "c_actor_init", ActorInit.of("emqx@10.0.0.1", 1754550000000L, "clusterB"),
        "#{'$op' => <<\"actor_init\">>, 14 => 1, 13 => <<\"clusterB\">>, 10 => " + actor
            + ", 11 => 1754550000000}");
    control(cases, "c_ack_ok", ActorInitAck.ok("emqx@10.0.0.1", false),
        "#{'$op' => <<\"actor_init_ack\">>, 14 => 1, 10 => " + actor
            + ", 15 => ok, 16 => false}");
    control(cases, "c_ack_error", ActorInitAck.error("emqx@10.0.0.1", "cluster_link_disabled"),
        "#{'$op' => <<\"actor_init_ack\">>, 14 => 1, 10 => " + actor
            + ", 15 => {error, <<\"cluster_link_disabled\">>}, 16 => undefined}");
    control(cases, "c_route", new RouteUpdate("emqx@10.0.0.1", 5, List.of(
        RouteOp.add("tü/+", "tü/+"), RouteOp.delete("a/#", "$sp/g/s1/a/#"))),
        "#{'$op' => <<\"route\">>, 10 => " + actor + ", 11 => 5, 12 => [{<<\"tü/+\"/utf8>>,"
            + " <<\"tü/+\"/utf8>>}, {100, <<\"a/#\">>, <<\"$sp/g/s1/a/#\">>}]}");
    List<RouteOp> batch = new ArrayList<>();
    for (int i = 1; i <= RouteUpdate.MAX_BATCH; i++) {
      batch.add(RouteOp.add("t/" + i, "$s/g/t/" + i));
    }
    control(cases, "c_route_batch", new RouteUpdate("ps-routes-v1", 1754550000000L, batch),
        "#{'$op' => <<\"route\">>, 10 => <<\"ps-routes-v1\">>, 11 => 1754550000000, 12 =>"
            + " [{<<\"t/\", (integer_to_binary(I))/binary>>,"
            + " <<\"$s/g/t/\", (integer_to_binary(I))/binary>>} || I <- lists:seq(1, 4000)]}");
    control(cases, "c_heartbeat", new Heartbeat("emqx@10.0.0.1", 1754550000000L),
        "#{'$op' => <<\"heartbeat\">>, 10 => " + actor + ", 11 => 1754550000000}");

    Binary id = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    String idExpr = "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15>>";
    message(cases, "m_minimal", new ForwardedMessage(id, 0, "c1", false, false, "t/1",
        Binary.EMPTY, 1754550000123L, MessageProperties.EMPTY),
        "{message, " + idExpr + ", 0, <<\"c1\">>, #{dup => false, retain => false},"
            + " #{properties => #{}}, <<\"t/1\">>, <<>>, 1754550000123, #{}}");
    message(cases, "m_props", new ForwardedMessage(id, 2, "cü", true, true, "a/ü",
        Binary.ofUtf8("payload"), 1L, LinkPayloadMessageTest.ALL_PROPS),
        "{message, " + idExpr + ", 2, <<\"cü\"/utf8>>, #{dup => true, retain => true},"
            + " #{properties => #{'User-Property' => [{<<\"k\">>, <<\"v1\">>},"
            + " {<<\"k\">>, <<\"v2\">>}, {<<\"ü\"/utf8>>, <<>>}],"
            + " 'Content-Type' => <<\"application/json\">>, 'Response-Topic' => <<\"reply/here\">>,"
            + " 'Correlation-Data' => <<0,1,2,255>>, 'Message-Expiry-Interval' => 3600,"
            + " 'Payload-Format-Indicator' => 1}},"
            + " <<\"a/ü\"/utf8>>, <<\"payload\">>, 1, #{}}");
    message(cases, "m_large", new ForwardedMessage(id, 1, "c1", false, false, "big",
        Binary.ofUtf8("0123456789".repeat(10_000)), 1754550000123L, MessageProperties.EMPTY),
        "{message, " + idExpr + ", 1, <<\"c1\">>, #{dup => false, retain => false},"
            + " #{properties => #{}}, <<\"big\">>, binary:copy(<<\"0123456789\">>, 10000),"
            + " 1754550000123, #{}}");
    results = ErlangInterop.run(dir, cases);
    if (results != null) {
      assertThat(results).hasSize(cases.size());
    }
  }

  @BeforeEach
  void erlangRan() {
    ErlangInterop.assumeRan(results);
  }

  private static void control(List<Case> cases, String name, ControlOp op, String erlang) {
    RECORDS.put(name, op);
    cases.add(new Case(name, erlang, Etf.encode(op.toTerm()), op.encode()));
  }

  private static void message(List<Case> cases, String name, ForwardedMessage m, String erlang) {
    RECORDS.put(name, m);
    cases.add(new Case(name, erlang, Etf.encode(m.toTerm()), m.encode()));
  }

  private static Object decode(String name, byte[] bytes) {
    return RECORDS.get(name) instanceof ControlOp ? ControlOp.decode(bytes)
        : ForwardedMessage.decode(bytes);
  }

  @Test
  void erlangDecodesOurPayloadsSafelyToTheEmqxTerms() {
    for (Result r : results.values()) {
      assertThat(r.decode()).as(r.name() + " plain").isEqualTo("ok");
      assertThat(r.decodeCompressed()).as(r.name() + " compressed").isEqualTo("ok");
    }
  }

  @Test
  void ourBytesEqualOtpDeterministicEncoding() {
    for (Result r : results.values()) {
      assertThat(r.bytesEqual()).as(r.name() + " " + hex(r.otp())).isTrue();
    }
  }

  @Test
  void weDecodeOtpEncodingsIntoTheSameRecords() {
    for (Result r : results.values()) {
      assertThat(decode(r.name(), r.otp())).as(r.name()).isEqualTo(RECORDS.get(r.name()));
      assertThat(decode(r.name(), r.otpCompressed())).as(r.name() + " compressed")
          .isEqualTo(RECORDS.get(r.name()));
    }
  }

  @Test
  void largePayloadsAreCompressedLikeOtp() {
    for (String name : List.of("c_route_batch", "m_large")) {
      assertThat(results.get(name).otpCompressed()[1]).as(name).isEqualTo((byte) 80);
      byte[] ours = RECORDS.get(name) instanceof ControlOp op ? op.encode()
          : ((ForwardedMessage) RECORDS.get(name)).encode();
      assertThat(ours[1]).as(name).isEqualTo((byte) 80);
    }
  }
}
