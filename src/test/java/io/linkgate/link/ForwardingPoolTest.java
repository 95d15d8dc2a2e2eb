package io.linkgate.link;

import io.linkgate.broker.Message;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.ValidationError;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.testutil.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forwarding pool's own logic, with fake clients instead of sockets (the socket path is covered by
 * {@code ClusterLinkingTest}, {@code LinkQosEndToEndTest} and {@code LinkReconnectTest}): per-publisher order, the
 * window, the byte budget, {@code request_ttl}, Message-Expiry, the peer's Maximum Packet Size, re-sending after a
 * reconnect, and {@code adopt}. Everything runs on the pool's context.
 */
@Timeout(30)
class ForwardingPoolTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final LinkTimings TIMINGS = new LinkTimings(Duration.ofSeconds(30), Duration.ofHours(1),
    Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(10),
    Duration.ofMillis(100));

  private Vertx vertx;
  private OnLoop loop;
  private final FakeLinkClient.Factory clients = new FakeLinkClient.Factory();
  private final List<ForwardingPool> pools = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    loop = new OnLoop(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.run(() -> pools.forEach(ForwardingPool::stop));
    vertx.close().await();
  }

  private static LinkOptions link(JsonObject extra) {
    JsonObject json = new JsonObject().put("name", "B").put("server", "127.0.0.1:1883").put("topics",
      new io.vertx.core.json.JsonArray().add("#")).mergeIn(extra);
    List<ValidationError> errors = new ArrayList<>();
    LinkOptions link = LinkOptions.fromJson(json, "link", errors);
    assertThat(errors).isEmpty();
    return link;
  }

  /** A started pool, made on the loop. */
  private ForwardingPool pool(JsonObject extra) throws Exception {
    LinkOptions link = link(extra);
    return loop.call(() -> {
      ForwardingPool p = new ForwardingPool(vertx, clients, link, LinkIdentity.of(link, "A", "a@node1"), TIMINGS,
        reason -> { });
      pools.add(p);
      p.start();
      return p;
    });
  }

  /** A message whose topic names its publisher and sequence number: {@code t/<publisher>/<seq>}. */
  private static Message message(String publisher, int seq, int qos) {
    return Message.simple("t/" + publisher + "/" + seq, Buffer.buffer("x".repeat(100)), qos, false, publisher);
  }

  /** The original topics of what a fake client published, in order. */
  private List<String> topics(FakeLinkClient c) throws Exception {
    return loop.call(() -> {
      List<String> out = new ArrayList<>();
      for (FakeLinkClient.Published p : c.published) {
        assertThat(p.topic()).isEqualTo(LinkTopics.msg("A"));
        out.add(ForwardedMessage.decode(p.payload()).topic());
      }
      return out;
    });
  }

  /** Waits until {@code c} has published the message with this original topic. */
  private void untilSent(FakeLinkClient c, String topic) {
    Await.until(topic + " sent", BOUND, () -> topics(c).contains(topic));
  }

  private ForwardingMetrics metrics(ForwardingPool p) throws Exception {
    return loop.call(p::metrics);
  }

  @Test
  void keepsEachPublishersOrderOnOneClientWithinTheWindow() throws Exception {
    clients.window = 3;
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 4));
    loop.until("all four clients up", BOUND, () -> pool.connectedCount() == 4);
    int perPublisher = 40;
    loop.run(() -> {
      for (int seq = 0; seq < perPublisher; seq++) {
        for (int p = 0; p < 6; p++) {
          pool.submit(message("pub" + p, seq, 1));
        }
      }
    });
    // acknowledge whatever is in flight until everything went out
    loop.until("all acknowledged", BOUND, () -> {
      clients.created.forEach(FakeLinkClient::ackAll);
      return pool.metrics().success() == 6L * perPublisher;
    });
    Map<String, Integer> clientOf = new HashMap<>();
    for (int i = 0; i < clients.created.size(); i++) {
      FakeLinkClient c = clients.created.get(i);
      assertThat(loop.call(() -> c.maxInflightSeen)).as("window respected").isLessThanOrEqualTo(3);
      Map<String, Integer> lastSeq = new HashMap<>();
      for (String topic : topics(c)) {
        String[] parts = topic.split("/");
        Integer previous = clientOf.putIfAbsent(parts[1], i);
        assertThat(previous == null || previous == i).as(parts[1] + " stays on one client").isTrue();
        int seq = Integer.parseInt(parts[2]);
        assertThat(seq).as(parts[1] + " in order").isEqualTo(lastSeq.getOrDefault(parts[1], -1) + 1);
        lastSeq.put(parts[1], seq);
      }
    }
    assertThat(clientOf).hasSize(6);
    assertThat(metrics(pool).dropped()).isZero();
  }

  @Test
  void bufferLimitDropsWhatDoesNotFitAndCountsIt() throws Exception {
    clients.autoAccept = false;
    // each message counts payload (100) + topic (~6) + 64 bytes: five fit into 1,000
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 1)
      .put("resource_opts", new JsonObject().put("max_buffer_bytes", 1000)));
    loop.run(() -> {
      for (int seq = 0; seq < 20; seq++) {
        pool.submit(message("p", seq, 1));
      }
    });
    ForwardingMetrics m = metrics(pool);
    assertThat(m.matched()).isEqualTo(20);
    assertThat(m.queuing()).isEqualTo(5);
    assertThat(m.dropped()).isEqualTo(15);
    assertThat(m.droppedByReason()).containsEntry("buffer_full", 15L);
    FakeLinkClient c = clients.last();
    loop.run(c::accept);
    loop.until("the buffered five sent", BOUND, () -> c.published.size() == 5);
    loop.run(c::ackAll);
    // the budget is free again: a later message is taken and sent after the five
    loop.run(() -> pool.submit(message("p", 99, 1)));
    loop.until("the later one sent", BOUND, () -> c.published.size() == 6);
    assertThat(topics(c)).containsExactly("t/p/0", "t/p/1", "t/p/2", "t/p/3", "t/p/4", "t/p/99");
  }

  @Test
  void requestTtlDropsMessagesThatWaitedTooLong() throws Exception {
    clients.autoAccept = false;
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 1)
      .put("resource_opts", new JsonObject().put("request_ttl", 200)));
    long submitted = loop.call(() -> {
      pool.submit(message("p", 1, 1));
      return System.currentTimeMillis();
    });
    // the message's age is what is tested: let it exceed request_ttl while the client is down
    Await.until("request_ttl passed", BOUND, () -> System.currentTimeMillis() - submitted > 400);
    FakeLinkClient c = clients.last();
    loop.run(() -> {
      c.accept();
      pool.submit(message("p", 2, 1)); // the sentinel, fresh
    });
    untilSent(c, "t/p/2");
    assertThat(topics(c)).containsExactly("t/p/2");
    assertThat(metrics(pool).dropped()).isEqualTo(1);
    assertThat(metrics(pool).droppedByReason()).containsEntry("ttl", 1L);
  }

  @Test
  void aMessageThatExpiresWhileBufferedIsDroppedNotSent() throws Exception {
    clients.autoAccept = false;
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 1));
    long now = System.currentTimeMillis();
    Message expiring = new Message("t/p/1", Buffer.buffer("x"), 1, false, null, null, null, null, List.of(), "p",
      null, now, now + 200);
    loop.run(() -> pool.submit(expiring));
    Await.until("the message's expiry passed", BOUND, () -> System.currentTimeMillis() > now + 400);
    FakeLinkClient c = clients.last();
    loop.run(() -> {
      c.accept();
      pool.submit(message("p", 2, 1)); // the sentinel, no expiry
    });
    untilSent(c, "t/p/2");
    assertThat(topics(c)).containsExactly("t/p/2");
    ForwardingMetrics m = metrics(pool);
    assertThat(m.dropped()).isEqualTo(1);
    assertThat(m.droppedByReason()).containsEntry("expired", 1L);
    assertThat(m.queuing()).isZero();
  }

  @Test
  void aMessageLargerThanThePeersMaximumPacketSizeIsDroppedNotSent() throws Exception {
    clients.maximumPacketSize = 600; // a forwarded record of a small message is ~200 bytes
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 1));
    loop.until("client up", BOUND, () -> pool.connectedCount() == 1);
    loop.run(() -> {
      pool.submit(Message.simple("t/p/1", Buffer.buffer("x".repeat(1000)), 1, false, "p"));
      pool.submit(Message.simple("t/p/2", Buffer.buffer("x"), 1, false, "p")); // the sentinel
    });
    FakeLinkClient c = clients.last();
    untilSent(c, "t/p/2");
    assertThat(topics(c)).containsExactly("t/p/2");
    assertThat(metrics(pool).droppedByReason()).containsEntry("too_large", 1L);
  }

  @Test
  void afterAReconnectUnacknowledgedMessagesGoAgainFirstInOrder() throws Exception {
    ForwardingPool pool = pool(new JsonObject().put("pool_size", 1));
    loop.until("client up", BOUND, () -> pool.connectedCount() == 1);
    FakeLinkClient first = clients.last();
    loop.run(() -> {
      for (int seq = 1; seq <= 5; seq++) {
        pool.submit(message("p", seq, 1));
      }
    });
    loop.until("five in flight", BOUND, () -> first.inflight() == 5);
    loop.run(() -> {
      first.ack(0);
      first.ack(0);
      first.drop("socket_closed");
      pool.submit(message("p", 6, 1)); // while down: queued behind the three that go again
    });
    loop.until("reconnected", BOUND, () -> clients.created.size() == 2 && pool.connectedCount() == 1);
    FakeLinkClient second = clients.last();
    loop.until("four sent on the new connection", BOUND, () -> second.published.size() == 4);
    assertThat(topics(second)).containsExactly("t/p/3", "t/p/4", "t/p/5", "t/p/6");
    loop.run(second::ackAll);
    ForwardingMetrics m = metrics(pool);
    assertThat(m.retried()).isEqualTo(3);
    assertThat(m.success()).isEqualTo(6);
    assertThat(m.inflight()).isZero();
  }

  @Test
  void adoptTakesOverUnacknowledgedMessagesInOrderAndTheCounters() throws Exception {
    clients.window = 2;
    ForwardingPool old = pool(new JsonObject().put("pool_size", 1));
    loop.until("old client up", BOUND, () -> old.connectedCount() == 1);
    FakeLinkClient oldClient = clients.last();
    loop.run(() -> {
      for (int seq = 1; seq <= 6; seq++) {
        old.submit(message("p", seq, 1));
      }
    });
    loop.until("two in flight", BOUND, () -> oldClient.inflight() == 2);
    loop.run(() -> oldClient.ack(0)); // t/p/1 done; t/p/3 goes out
    loop.until("two in flight again", BOUND, () -> oldClient.inflight() == 2);
    clients.window = 65535;
    ForwardingPool next = pool(new JsonObject().put("pool_size", 3));
    loop.run(() -> next.adopt(old));
    assertThat(loop.call(oldClient::isClosed)).as("the old pool's clients are closed").isTrue();
    loop.until("the new pool sent the five left", BOUND, () -> clients.created.stream().skip(1)
      .mapToInt(c -> c.published.size()).sum() == 5);
    FakeLinkClient carrier = clients.created.stream().skip(1).filter(c -> !c.published.isEmpty()).findFirst()
      .orElseThrow();
    assertThat(topics(carrier)).containsExactly("t/p/2", "t/p/3", "t/p/4", "t/p/5", "t/p/6");
    loop.run(carrier::ackAll);
    ForwardingMetrics m = metrics(next);
    assertThat(m.matched()).as("not counted twice").isEqualTo(6);
    assertThat(m.success()).isEqualTo(6);
    assertThat(metrics(old).queuing() + metrics(old).inflight()).isZero();
  }
}
