package io.linkgate.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shared-subscription member that leaves with unacknowledged QoS 1 messages: they go to another member of the
 * group instead of being lost. Uses the Vert.x MQTT client with manual acks to hold messages unacknowledged.
 */
class SharedSubscriptionHandoverTest {
  BrokerFixture broker;

  @BeforeEach
  void start() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  MqttClient connect(String id, boolean autoAck, List<String> received) throws Exception {
    MqttClientOptions o = new MqttClientOptions().setClientId(id).setCleanSession(true);
    o.setAutoAck(autoAck);
    MqttClient c = MqttClient.create(broker.vertx, o);
    c.publishHandler(m -> received.add(m.payload().toString()));
    c.connect(broker.tcpPort(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return c;
  }

  @Test
  void unacknowledgedMessagesOfALeavingMemberGoToAnotherMember() throws Exception {
    List<String> lazy = new CopyOnWriteArrayList<>();
    List<String> diligent = new CopyOnWriteArrayList<>();
    MqttClient a = connect("share-lazy", false, lazy);
    a.subscribe("$share/work/jobs/#", 1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    MqttClient b = connect("share-diligent", true, diligent);
    b.subscribe("$share/work/jobs/#", 1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(5, TimeUnit.SECONDS).until(() -> broker.onBroker(Broker::subscriptionCount) == 2);

    MqttClient pub = connect("share-pub", true, new CopyOnWriteArrayList<>());
    for (int i = 0; i < 6; i++) {
      pub.publish("jobs/x", Buffer.buffer("job" + i), MqttQoS.AT_LEAST_ONCE, false, false);
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> lazy.size() + diligent.size() == 6);
    assertThat(lazy).hasSize(3);

    a.disconnect(); // clean session: the session ends with 3 messages never acknowledged
    await().atMost(5, TimeUnit.SECONDS).until(() -> diligent.size() == 6);
    assertThat(diligent).containsExactlyInAnyOrder("job0", "job1", "job2", "job3", "job4", "job5");
    b.disconnect();
    pub.disconnect();
  }
}
