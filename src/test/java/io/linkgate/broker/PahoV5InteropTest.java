package io.linkgate.broker;

import io.linkgate.testutil.Await;
import io.linkgate.testutil.PahoV5Inbox;
import io.linkgate.testutil.PahoV5Inbox.Received;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5 behaviour seen by Eclipse Paho's v5 client over real TCP sockets. */
class PahoV5InteropTest {
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  /** Every positive wait in this class is 5 s. */
  static PahoV5Inbox inbox() {
    return new PahoV5Inbox(Duration.ofSeconds(5));
  }

  static MqttClient connect(String id, boolean cleanStart, long expiry, PahoV5Inbox inbox) throws Exception {
    MqttClient c = new MqttClient(broker.tcpUri(), id, new MemoryPersistence());
    c.setCallback(inbox);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(cleanStart);
    o.setSessionExpiryInterval(expiry);
    c.connect(o);
    return c;
  }

  @Test
  void sessionTakeoverDisconnectsTheOldConnectionWithReason0x8E() throws Exception {
    PahoV5Inbox first = inbox();
    connect("v5-takeover", true, 0L, first);
    MqttClient second = connect("v5-takeover", true, 0L, inbox());
    assertThat(first.disconnectReason().get(5, TimeUnit.SECONDS)).isEqualTo(0x8E);
    assertThat(second.isConnected()).isTrue();
    second.disconnect();
  }

  @Test
  void propertiesArePassedThroughAndSubscriptionIdentifiersReturned() throws Exception {
    PahoV5Inbox sub = inbox();
    MqttAsyncClient s = new MqttAsyncClient(broker.tcpUri(), "v5-props-sub", new MemoryPersistence());
    s.setCallback(sub);
    s.connect(new MqttConnectionOptions()).waitForCompletion(5000);
    MqttProperties subProps = new MqttProperties();
    subProps.setSubscriptionIdentifier(42);
    s.subscribe(new MqttSubscription[] {new MqttSubscription("props/+", 1)}, null, null, subProps)
      .waitForCompletion(5000);
    MqttClient p = connect("v5-props-pub", true, 0L, inbox());
    MqttMessage m = new MqttMessage("req".getBytes(), 1, false, new MqttProperties());
    m.getProperties().setContentType("text/plain");
    m.getProperties().setResponseTopic("props/reply");
    m.getProperties().setCorrelationData(new byte[] {1, 2, 3});
    m.getProperties().setUserProperties(List.of(new UserProperty("k", "v"), new UserProperty("k", "v2")));
    m.getProperties().setMessageExpiryInterval(60L);
    m.getProperties().setPayloadFormat(true);
    p.publish("props/a", m);
    Received r = sub.next();
    assertThat(r).isNotNull();
    MqttProperties got = r.message().getProperties();
    assertThat(got.getContentType()).isEqualTo("text/plain");
    assertThat(got.getResponseTopic()).isEqualTo("props/reply");
    assertThat(got.getCorrelationData()).containsExactly(1, 2, 3);
    assertThat(got.getUserProperties()).extracting(UserProperty::getValue).containsExactly("v", "v2");
    assertThat(got.getSubscriptionIdentifiers()).containsExactly(42);
    assertThat(got.getMessageExpiryInterval()).isBetween(58L, 60L);
    assertThat(got.getPayloadFormat()).isTrue();
    s.disconnect().waitForCompletion(5000);
    p.disconnect();
  }

  @Test
  void noLocalSuppressesOwnMessages() throws Exception {
    PahoV5Inbox c = inbox();
    MqttClient client = connect("v5-nolocal", true, 0L, c);
    MqttSubscription sub = new MqttSubscription("nolocal/t", 1);
    sub.setNoLocal(true);
    client.subscribe(new MqttSubscription[] {sub});
    client.publish("nolocal/t", new MqttMessage("mine".getBytes(), 1, false, null));
    // "theirs" is the sentinel: "mine" was routed (acknowledged) before it, so a delivered "mine" would come first
    MqttClient other = connect("v5-nolocal-other", true, 0L, inbox());
    other.publish("nolocal/t", new MqttMessage("theirs".getBytes(), 1, false, null));
    assertThat(c.next().payload()).isEqualTo("theirs");
    client.disconnect();
    other.disconnect();
  }

  @Test
  void retainHandlingAndRetainAsPublished() throws Exception {
    MqttClient p = connect("v5-rh-pub", true, 0L, inbox());
    p.publish("rh/t", new MqttMessage("r".getBytes(), 1, true, null));
    PahoV5Inbox c = inbox();
    MqttClient s = connect("v5-rh-sub", true, 0L, c);
    MqttSubscription never = new MqttSubscription("rh/t", 1);
    never.setRetainHandling(2);
    s.subscribe(new MqttSubscription[] {never});
    // a live sentinel: a retained copy sent for that subscribe would have been queued before it
    p.publish("rh/t", new MqttMessage("sentinel".getBytes(), 1, false, null));
    assertThat(c.next().payload()).isEqualTo("sentinel");
    MqttSubscription ifNew = new MqttSubscription("rh/+", 1);
    ifNew.setRetainHandling(1);
    ifNew.setRetainAsPublished(true);
    s.subscribe(new MqttSubscription[] {ifNew});
    Received first = c.next();
    assertThat(first.message().isRetained()).isTrue();
    s.subscribe(new MqttSubscription[] {ifNew}); // exists already: no retained message this time
    p.publish("rh/t", new MqttMessage("live".getBytes(), 1, true, null));
    p.publish("rh/x", new MqttMessage("after".getBytes(), 1, false, null)); // matches rh/+ only
    // two subscriptions match: one copy, and the retain-as-published one keeps the flag
    Received a = c.next();
    assertThat(new String(a.message().getPayload())).isEqualTo("live");
    assertThat(a.message().isRetained()).isTrue();
    assertThat(c.next().payload()).isEqualTo("after");
    s.disconnect();
    p.disconnect();
  }

  @Test
  void sessionExpiresAfterItsInterval() throws Exception {
    MqttClient c = connect("v5-expiry", true, 1L, inbox());
    c.subscribe("expiry/t", 1);
    c.disconnect();
    Boolean present = broker.onBroker(b -> b.session("v5-expiry") != null);
    assertThat(present).isTrue();
    Await.until("the 1 s session expired", Await.DEFAULT, () -> broker.onBroker(b -> b.session("v5-expiry") == null));
    PahoV5Inbox back = inbox();
    MqttClient again = new MqttClient(broker.tcpUri(), "v5-expiry", new MemoryPersistence());
    again.setCallback(back);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    IMqttToken token = again.connectWithResult(o);
    assertThat(token.getSessionPresent()).isFalse();
    again.disconnect();
  }

  @Test
  void willDelayIsCancelledByReconnect() throws Exception {
    PahoV5Inbox watcher = new PahoV5Inbox(Duration.ofSeconds(10));
    MqttClient w = connect("v5-will-watch", true, 0L, watcher);
    w.subscribe("wd/#", 1);
    MqttClient dying = new MqttClient(broker.tcpUri(), "v5-will-delay", new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    o.setSessionExpiryInterval(60L);
    MqttProperties willProps = new MqttProperties();
    willProps.setWillDelayInterval(1L);
    o.setWillMessageProperties(willProps);
    o.setWill("wd/gone", new MqttMessage("bye".getBytes(), 1, false, null));
    dying.connect(o);
    dying.disconnectForcibly(0, 0, false);
    MqttClient back = new MqttClient(broker.tcpUri(), "v5-will-delay", new MemoryPersistence());
    MqttConnectionOptions o2 = new MqttConnectionOptions();
    o2.setCleanStart(false);
    o2.setSessionExpiryInterval(60L);
    back.connect(o2);
    // the sentinel: a will with the same delay whose timer starts later; once it is in, the cancelled one would
    // have been too
    MqttClient sentinel = new MqttClient(broker.tcpUri(), "v5-will-delay-sentinel", new MemoryPersistence());
    MqttConnectionOptions so = new MqttConnectionOptions();
    so.setSessionExpiryInterval(60L);
    so.setWillMessageProperties(willProps);
    so.setWill("wd/sentinel", new MqttMessage("bye".getBytes(), 1, false, null));
    sentinel.connect(so);
    sentinel.disconnectForcibly(0, 0, false);
    assertThat(watcher.next().topic()).isEqualTo("wd/sentinel");
    back.disconnectForcibly(0, 0, false); // no will this time: the new connection had none
    dying.connect(o);
    dying.disconnectForcibly(0, 0, false);
    Received r = watcher.next();
    assertThat(r.topic()).isEqualTo("wd/gone");
    w.disconnect();
  }
}
