package io.linkgate.broker.interop;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;
import io.linkgate.testutil.PahoV5Inbox;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 §3.3.2.3.7: user properties reach subscribers unaltered (order and repeated keys kept), also when they are
 * the only properties of a PUBLISH, of a retained message, of a will, and across a cluster link. Seen by
 * mosquitto_sub/mosquitto_pub and Paho v5 over real sockets.
 */
@Tag("slow")
@Timeout(120)
class UserPropertiesTest {
  private static final String FORMAT = "%t [%p] props:%P";
  private BrokerFixture broker;
  private MosquittoV5Clients mosquitto;
  private LinkedClusters clusters;
  private final PahoV5Clients pahos = new PahoV5Clients();

  @AfterEach
  void stopAll() throws Exception {
    pahos.close();
    if (mosquitto != null) {
      mosquitto.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  private void startBroker() throws Exception {
    broker = new BrokerFixture();
    mosquitto = new MosquittoV5Clients(broker.tcpPort());
  }

  private void awaitSubscriptions(int n) throws Exception {
    MosquittoV5Clients.awaitBroker(broker, "subscription count", Broker::subscriptionCount, n);
  }

  @Test
  void userPropertiesAloneReachAnIndependentSubscriber() throws Exception {
    startBroker();
    ExternalProcess sub = mosquitto.sub("-t", "up/1", "-F", FORMAT, "-C", "2");
    awaitSubscriptions(1);
    mosquitto.pub("-t", "up/1", "-m", "hi", "-D", "publish", "user-property", "k", "v");
    mosquitto.pub("-t", "up/1", "-m", "again", "-q", "1", "-D", "publish", "user-property", "k", "1",
      "-D", "publish", "user-property", "a", "2", "-D", "publish", "user-property", "k", "3");
    assertThat(sub.nextLines(2, MosquittoV5Clients.WAIT))
      .containsExactly("up/1 [hi] props:k:v", "up/1 [again] props:k:1 a:2 k:3");
  }

  @Test
  void aRetainedMessageKeepsItsUserPropertiesForLaterSubscribers() throws Exception {
    startBroker();
    mosquitto.pub("-t", "up/r", "-m", "kept", "-r", "-q", "1", "-D", "publish", "user-property", "k", "v",
      "-D", "publish", "user-property", "k", "w");
    MosquittoV5Clients.awaitBroker(broker, "retained count", Broker::retainedCount, 1);
    ExternalProcess sub = mosquitto.sub("-t", "up/r", "-F", FORMAT, "-C", "1");
    assertThat(sub.nextLines(1, MosquittoV5Clients.WAIT)).containsExactly("up/r [kept] props:k:v k:w");
  }

  @Test
  void aWillWithOnlyUserPropertiesKeepsThem() throws Exception {
    startBroker();
    ExternalProcess sub = mosquitto.sub("-t", "up/will", "-F", FORMAT, "-C", "1");
    awaitSubscriptions(1);
    ExternalProcess dying = mosquitto.pubStaying("-t", "up/other", "-i", "up-dying", "--will-topic", "up/will",
      "--will-payload", "gone", "-D", "will", "user-property", "k", "v", "-D", "will", "user-property", "k", "v2");
    // its CONNECT was processed (the will registered) once it has a session
    MosquittoV5Clients.awaitBroker(broker, "session count", Broker::sessionCount, 2);
    dying.kill(); // no DISCONNECT: the will is published
    assertThat(sub.nextLines(1, MosquittoV5Clients.WAIT)).containsExactly("up/will [gone] props:k:v k:v2");
  }

  @Test
  void pahoSeesRepeatedKeysInTheirOrder() throws Exception {
    startBroker();
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient s = paho(broker.tcpUri(), "up-paho-sub", inbox);
    PahoV5Clients.subscribe(s, PahoV5Clients.filter("up/paho", 1), 0);
    MqttAsyncClient p = paho(broker.tcpUri(), "up-paho-pub", null);
    PahoV5Clients.publish(p, "up/paho", withUserProperties("one", ORDERED));
    assertThat(inbox.next().message().getProperties().getUserProperties()).containsExactlyElementsOf(ORDERED);
  }

  @Test
  void userPropertiesAloneCrossAClusterLinkInOrder() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    clusters.start("B");
    await().atMost(30, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("B", "A").status()));
    MosquittoV5Clients onA = new MosquittoV5Clients(clusters.port("A"));
    mosquitto = onA;
    ExternalProcess sub = onA.sub("-t", "up/link/#", "-F", FORMAT, "-C", "2", "-q", "1");
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient pahoSub = paho(clusters.uri("A"), "up-link-sub", inbox);
    PahoV5Clients.subscribe(pahoSub, PahoV5Clients.filter("up/link/paho", 1), 0);
    await().atMost(30, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 2);

    MosquittoV5Clients onB = new MosquittoV5Clients(clusters.port("B"));
    try {
      onB.pub("-t", "up/link/m", "-m", "far", "-q", "1", "-D", "publish", "user-property", "k", "1",
        "-D", "publish", "user-property", "a", "2", "-D", "publish", "user-property", "k", "3");
    } finally {
      onB.close();
    }
    MqttAsyncClient pahoPub = paho(clusters.uri("B"), "up-link-pub", null);
    PahoV5Clients.publish(pahoPub, "up/link/paho", withUserProperties("far-paho", ORDERED));

    assertThat(inbox.next().message().getProperties().getUserProperties()).containsExactlyElementsOf(ORDERED);
    assertThat(sub.nextLines(2, MosquittoV5Clients.WAIT))
      .containsExactly("up/link/m [far] props:k:1 a:2 k:3", "up/link/paho [far-paho] props:k:1 k:2 a:x k:1");
  }

  // ---- Paho v5 ----

  private static final List<UserProperty> ORDERED = List.of(new UserProperty("k", "1"), new UserProperty("k", "2"),
    new UserProperty("a", "x"), new UserProperty("k", "1"));

  /** A QoS 1 message whose only properties are these user properties. */
  private static MqttMessage withUserProperties(String payload, List<UserProperty> users) {
    MqttProperties props = new MqttProperties();
    props.setUserProperties(users);
    return new MqttMessage(payload.getBytes(), 1, false, props);
  }

  private MqttAsyncClient paho(String uri, String id, PahoV5Inbox inbox) throws Exception {
    return pahos.connect(uri, id, inbox);
  }
}
