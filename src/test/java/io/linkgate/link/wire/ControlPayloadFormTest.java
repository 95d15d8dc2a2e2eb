package io.linkgate.link.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.etf.Etf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Control payloads go out plain, byte-identical to what EMQX 5.x sends, unless they are large (bootstrap route
 * batches), which go compressed as EMQX 6.0.3+ sends them. Either form decodes everywhere.
 */
@Timeout(30)
class ControlPayloadFormTest {
  private static final byte COMPRESSED = 80;

  @Test
  void handshakeAckAndHeartbeatArePlain() {
    for (ControlOp op : List.of(ActorInit.of("linkgate@10.0.0.1", 1754550000000L, "cl.target"),
        ActorInitAck.ok("linkgate@10.0.0.1", true), new Heartbeat("linkgate@10.0.0.1", 1754550000000L))) {
      assertThat(op.encodeForLink()).as(op.toString()).isEqualTo(Etf.encode(op.toTerm()));
    }
  }

  @Test
  void everydayRouteBatchesArePlainThoughZlibWouldShrinkThem() {
    RouteUpdate batch = routes(200); // ~15 KiB, very repetitive: deflate would win by far
    byte[] plain = Etf.encode(batch.toTerm());
    assertThat(Etf.compressIfSmaller(plain)[1]).isEqualTo(COMPRESSED);
    assertThat(batch.encodeForLink()).isEqualTo(plain);
    assertThat(ControlOp.decode(batch.encodeForLink())).isEqualTo(batch);
  }

  @Test
  void largeBootstrapBatchesAreCompressed() {
    RouteUpdate batch = routes(RouteUpdate.MAX_BATCH);
    byte[] bytes = batch.encodeForLink();
    assertThat(bytes[1]).isEqualTo(COMPRESSED);
    assertThat(bytes.length).isLessThan(Etf.encode(batch.toTerm()).length / 4);
    assertThat(ControlOp.decode(bytes)).isEqualTo(batch);
  }

  private static RouteUpdate routes(int n) {
    List<RouteOp> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ops.add(RouteOp.add("sensors/site-" + i + "/+/temperature", "sensors/site-" + i + "/+/temperature"));
    }
    return new RouteUpdate("linkgate@10.0.0.1", 1754550000000L, ops);
  }
}
