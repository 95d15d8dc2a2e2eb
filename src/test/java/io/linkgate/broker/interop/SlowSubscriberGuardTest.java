package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import io.linkgate.broker.BrokerMetrics.DropReason;
import io.linkgate.broker.ListenerSpec;
import io.linkgate.testutil.Await;
import io.linkgate.testutil.Sentinel;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mqtt.max_outbound_bytes}: a subscriber that stops reading while a publisher floods large QoS 0 messages
 * costs the broker at most its byte budget (what the kernel's socket buffers absorb is not the broker's heap); the
 * rest is dropped and counted as {@code slow_consumer}, and a subscriber that reads keeps being served.
 */
@Timeout(120)
class SlowSubscriberGuardTest {
  private static final Logger log = LoggerFactory.getLogger(SlowSubscriberGuardTest.class);
  private static final int BUDGET = 1024 * 1024;
  private static final int PAYLOAD = 128 * 1024;
  /** 50 MB: far beyond the budget plus what loopback socket buffers hold (a few MB each way). */
  private static final int FLOOD = 400;

  private BrokerFixture broker;
  private RawMqtt stalled;
  private RawMqtt publisher;
  private MqttClient healthy;

  @AfterEach
  void stop() throws Exception {
    if (healthy != null && healthy.isConnected()) {
      healthy.disconnectForcibly(1000);
    }
    if (healthy != null) {
      healthy.close(true);
    }
    if (stalled != null) {
      stalled.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsBoundedByBytesAndOthersKeepReceiving() throws Exception {
    broker = new BrokerFixture(TestLimits.defaultsWith(Map.of("maxOutboundBytes", BUDGET)),
      List.of(new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 0)));

    stalled = new RawMqtt(broker.tcpPort());
    stalled.handshake(4, "stalled");
    stalled.send(RawMqtt.subscribe(4, 1, "flood/#", 0));
    assertThat(stalled.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.SUBACK);
    // from here on the stalled subscriber never reads again

    Queue<String> small = new ConcurrentLinkedQueue<>();
    AtomicLong large = new AtomicLong();
    healthy = new MqttClient(broker.tcpUri(), "healthy", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    healthy.connect(o);
    // QoS 1: the flood reaches it as QoS 0 (may be dropped if Paho falls behind), the sentinel as QoS 1 (never)
    healthy.subscribe("flood/#", 1, (topic, m) -> {
      if (m.getPayload().length == PAYLOAD) {
        large.incrementAndGet();
      } else {
        small.add(new String(m.getPayload(), StandardCharsets.UTF_8));
      }
    });

    long heapBefore = broker.onBroker(b -> usedHeapAfterGc());
    publisher = new RawMqtt(broker.tcpPort());
    publisher.handshake(4, "publisher");
    byte[] flood = RawMqtt.publish(4, "flood/big", 0, 0, "x".repeat(PAYLOAD));
    long peakOutbound = 0;
    for (int i = 0; i < FLOOD; i++) {
      publisher.send(flood);
      if (i % 20 == 19) {
        peakOutbound = Math.max(peakOutbound, broker.onBroker(b -> b.outboundBytes("stalled")));
      }
    }
    // after the flood from the same publisher: once the sentinel is in, the broker has handled every flood message
    Sentinel.publishAndAwait(p -> publisher.send(RawMqtt.publish(4, "flood/sentinel", 1, 7, p)), () -> small);

    long stalledOutbound = broker.onBroker(b -> b.outboundBytes("stalled"));
    long heapAfter = broker.onBroker(b -> usedHeapAfterGc());
    long drops = broker.onBroker(b -> b.metrics().dropped(DropReason.SLOW_CONSUMER));
    peakOutbound = Math.max(peakOutbound, stalledOutbound);
    log.info("slow subscriber flood: {} x {} KB; stalled subscriber's outbound bytes peak {} / end {} (budget {}); "
        + "broker heap growth {} KB; slow_consumer drops {}; healthy subscriber got {} of the flood",
      FLOOD, PAYLOAD / 1024, peakOutbound, stalledOutbound, BUDGET, (heapAfter - heapBefore) / 1024, drops,
      large.get());

    int packet = flood.length;
    assertThat(stalledOutbound).as("the stalled subscriber is still connected, holding what it cannot read")
      .isPositive();
    assertThat(peakOutbound).as("bytes waiting for the stalled subscriber stay within the budget")
      .isLessThanOrEqualTo(BUDGET + packet);
    // without the guard the stalled subscriber holds the flood less what the socket buffers took: ~40 MB of heap
    assertThat(heapAfter - heapBefore).as("broker heap growth with a stalled subscriber").isLessThan(16L << 20);
    assertThat(drops).as("QoS 0 messages dropped for the stalled subscriber, counted as slow_consumer")
      .isGreaterThanOrEqualTo(FLOOD / 2);
    assertThat(large.get()).as("the subscriber that reads got flood messages").isPositive();
    long healthyOutbound = broker.onBroker(b -> b.outboundBytes("healthy"));
    assertThat(healthyOutbound).as("the healthy subscriber is still connected")
      .isGreaterThanOrEqualTo(0);
  }

  /**
   * QoS 1 past the budget is not written but waits in the session queue ({@code max_mqueue_len}), even with an
   * inflight window far larger than the budget; once the subscriber reads again the queue drains, in order.
   */
  @Test
  void qos1WaitsInTheSessionQueueWhileTheBudgetIsFullAndFollowsWhenTheSubscriberReadsAgain() throws Exception {
    int queueLen = 20;
    int flood = 100;
    broker = new BrokerFixture(TestLimits.defaultsWith(Map.of("maxOutboundBytes", BUDGET, "maxInflight", 1000,
      "maxMqueueLen", queueLen)), List.of(new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 0)));
    stalled = new RawMqtt(broker.tcpPort());
    stalled.handshake(4, "stalled");
    stalled.send(RawMqtt.subscribe(4, 1, "flood/#", 1));
    assertThat(stalled.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.SUBACK);

    publisher = new RawMqtt(broker.tcpPort());
    publisher.handshake(4, "publisher");
    String filler = "x".repeat(PAYLOAD - 4);
    int packet = 0;
    for (int i = 1; i <= flood; i++) {
      byte[] publish = RawMqtt.publish(4, "flood/big", 1, i, String.format("%04d", i) + filler);
      packet = publish.length;
      publisher.send(publish);
    }
    // the PUBACK of the last one: the broker has routed the whole flood
    int lastAcked = 0;
    while (lastAcked < flood) {
      RawMqtt.Packet ack = publisher.read(Duration.ofSeconds(30));
      assertThat(ack.type()).isEqualTo(RawMqtt.PUBACK);
      lastAcked = ack.packetId();
    }
    long outbound = broker.onBroker(b -> b.outboundBytes("stalled"));
    long queueFull = broker.onBroker(b -> b.metrics().dropped(DropReason.QUEUE_FULL));
    log.info("QoS 1 flood to a stalled subscriber: outbound bytes {} (budget {}), queue_full drops {}", outbound,
      BUDGET, queueFull);
    assertThat(outbound).as("QoS 1 written to the stalled subscriber stays within the budget")
      .isLessThanOrEqualTo(BUDGET + packet);
    assertThat(queueFull).as("what neither the budget nor the queue holds is dropped as queue_full")
      .isGreaterThanOrEqualTo(flood - queueLen - (BUDGET / packet + 1) - 40L); // 40: what socket buffers absorb
    long slow = broker.onBroker(b -> b.metrics().dropped(DropReason.SLOW_CONSUMER));
    assertThat(slow).as("QoS 1 is never slow_consumer").isZero();

    // the subscriber reads again: everything not dropped arrives, in order, and the sentinel after it
    String sentinel = "sentinel-qos1";
    publisher.send(RawMqtt.publish(4, "flood/sentinel", 1, flood + 1, sentinel));
    int last = 0;
    int received = 0;
    while (true) {
      RawMqtt.Publish p = RawMqtt.Publish.parse(stalled.read(Duration.ofSeconds(30)), 4);
      stalled.send(RawMqtt.puback(p.packetId()));
      if (p.payload().equals(sentinel)) {
        break;
      }
      int seq = Integer.parseInt(p.payload().substring(0, 4));
      assertThat(seq).as("in publish order").isGreaterThan(last);
      last = seq;
      received++;
    }
    long dropped = broker.onBroker(b -> b.metrics().dropped(DropReason.QUEUE_FULL));
    assertThat(received).as("every flood message not dropped arrived").isEqualTo(flood + 1 - 1 - (int) dropped);
  }

  /** Heap in use after a full collection, read on the broker's loop so the flood's state is what it holds now. */
  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
