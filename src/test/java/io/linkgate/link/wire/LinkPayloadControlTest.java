package io.linkgate.link.wire;

import static io.linkgate.etf.EtfFixtureTerms.read;
import static io.linkgate.etf.T.atom;
import static io.linkgate.etf.T.bin;
import static io.linkgate.etf.T.bytes;
import static io.linkgate.etf.T.hex;
import static io.linkgate.etf.T.list;
import static io.linkgate.etf.T.map;
import static io.linkgate.etf.T.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Etf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Control maps against the OTP fixtures written from emqx_cluster_link_mqtt.erl's shapes. */
class LinkPayloadControlTest {
  static final String ACTOR = "emqx@10.0.0.1";

  static Stream<Arguments> fixtures() {
    List<RouteOp> batch = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      batch.add(RouteOp.add("t/" + i + "/#", "t/+/" + i));
    }
    return Stream.of(
        Arguments.of("ctrl_actor_init", ActorInit.of(ACTOR, 1754550000000L, "clusterB")),
        Arguments.of("ctrl_actor_init_ack_ok", ActorInitAck.ok(ACTOR, true)),
        Arguments.of("ctrl_actor_init_ack_error",
            ActorInitAck.error(ACTOR, "bad_remote_cluster_link_name")),
        Arguments.of("ctrl_route", new RouteUpdate(ACTOR, 1754550000000L, List.of(
            RouteOp.add("t/+", "t/+"), RouteOp.delete("a/#", "$s/g1/a/#"),
            RouteOp.add("t/1/#", "$p/sess1/t/1/#")))),
        Arguments.of("ctrl_route_batch", new RouteUpdate("ps-routes-v1", 1754550000001L, batch)),
        Arguments.of("ctrl_heartbeat", new Heartbeat(ACTOR, 1754550000000L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decodesOtpEncodings(String name, ControlOp expected) {
    for (String suffix : List.of(".etf", ".z.etf", ".v1.etf")) {
      assertThat(ControlOp.decode(read(name + suffix))).as(name + suffix).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void encodesLikeOtp(String name, ControlOp op) {
    assertThat(hex(Etf.encode(op.toTerm()))).isEqualTo(hex(read(name + ".etf")));
    byte[] wire = op.encode();
    assertThat(wire[1] == 80).as("compressed").isEqualTo(read(name + ".z.etf")[1] == 80);
    assertThat(ControlOp.decode(wire)).isEqualTo(op);
  }

  @Test
  void actorInitTermShape() {
    assertThat(ActorInit.of("n@h", 7, "B").toTerm()).isEqualTo(map(atom("$op"),
        bin("actor_init"), 10L, bin("n@h"), 11L, 7L, 13L, bin("B"), 14L, 1L));
  }

  @Test
  void ackWithUndefinedBootstrapAndAtomReason() {
    Object term = map(atom("$op"), bin("actor_init_ack"), 10L, bin("n"), 14L, 1L,
        15L, tuple(atom("error"), atom("unknown_cluster")), 16L, atom("undefined"));
    ActorInitAck ack = (ActorInitAck) ControlOp.fromTerm(term);
    assertThat(ack.isOk()).isFalse();
    assertThat(ack.error()).isEqualTo("unknown_cluster");
    assertThat(ack.needBootstrap()).isNull();
    assertThat(ActorInitAck.decode(ActorInitAck.ok("n", false).encode()).needBootstrap())
        .isFalse();
  }

  @Test
  void unknownKeysAreIgnored() {
    Object term = map(atom("$op"), bin("heartbeat"), 10L, bin("n"), 11L, 3L, 99L, atom("x"),
        atom("extra"), list());
    assertThat(ControlOp.fromTerm(term)).isEqualTo(new Heartbeat("n", 3));
  }

  @Test
  void wrongShapesAreRejectedWithTheField() {
    Atom op = atom("$op");
    rejects(list(), "control payload: expected a map, got []");
    rejects(map(10L, bin("n")), "missing key '$op'");
    rejects(map(op, atom("route")), "'$op': expected a binary, got route");
    rejects(map(op, bin("subscribe"), 10L, bin("n")), "unknown '$op' subscribe");
    rejects(map(op, bin("heartbeat"), 10L, bin("n")), "heartbeat: missing key 11");
    rejects(map(op, bin("heartbeat"), 10L, bin("n"), 11L, bin("1")),
        "heartbeat incarnation: expected an integer");
    rejects(map(op, bin("heartbeat"), 10L, bin("n"), 11L, new java.math.BigInteger("1".repeat(30))),
        "heartbeat incarnation: expected an integer in the 64-bit range");
    rejects(map(op, bin("heartbeat"), 10L, bytes(0xC3), 11L, 1L),
        "heartbeat actor: expected UTF-8 text");
    rejects(map(op, bin("route"), 10L, bin("n"), 11L, 1L, 12L, bin("x")),
        "route routes: expected a list");
    rejects(map(op, bin("route"), 10L, bin("n"), 11L, 1L, 12L,
        list(tuple(bin("a"), bin("a")), tuple(101L, bin("a"), bin("a")))),
        "route entry 1: expected {Filter, RouteId} or {100, Filter, RouteId}");
    rejects(map(op, bin("route"), 10L, bin("n"), 11L, 1L, 12L, list(tuple(atom("a"), bin("a")))),
        "route entry 0 filter: expected a binary");
    rejects(map(op, bin("actor_init_ack"), 10L, bin("n"), 14L, 1L, 15L, atom("error"),
        16L, atom("true")), "actor_init_ack result: expected ok or {error, Reason}");
    rejects(map(op, bin("actor_init_ack"), 10L, bin("n"), 14L, 1L, 15L, atom("ok"),
        16L, atom("yes")), "need_bootstrap: expected true, false or undefined");
  }

  private static void rejects(Object term, String message) {
    assertThatThrownBy(() -> ControlOp.fromTerm(term)).isInstanceOf(LinkPayloadException.class)
        .hasMessageContaining(message);
    assertThatThrownBy(() -> ControlOp.decode(Etf.encode(term)))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining(message);
  }

  @Test
  void malformedEtfAndWrongOpOnTheRespTopic() {
    assertThatThrownBy(() -> ControlOp.decode(new byte[] {(byte) 131, 77}))
        .isInstanceOf(LinkPayloadException.class).hasMessageStartingWith("malformed ETF payload");
    byte[] hb = new Heartbeat("n", 1).encode();
    assertThatThrownBy(() -> ActorInitAck.decode(hb)).isInstanceOf(LinkPayloadException.class)
        .hasMessage("expected actor_init_ack, got heartbeat");
  }

  @Test
  void recordsAreImmutable() {
    List<RouteOp> routes = new ArrayList<>(List.of(RouteOp.add("a", "a")));
    RouteUpdate u = new RouteUpdate("n", 1, routes);
    routes.clear();
    assertThat(u.routes()).hasSize(1);
    assertThatThrownBy(() -> u.routes().add(RouteOp.add("b", "b")))
        .isInstanceOf(UnsupportedOperationException.class);
    Map<Object, Object> term = u.toTerm();
    assertThat(term.get(12L)).isEqualTo(list(tuple(bin("a"), bin("a"))));
  }
}
