package io.linkgate.broker.interop;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;
import io.linkgate.testutil.PahoV5Inbox;
import io.linkgate.testutil.PahoV5Inbox.Received;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.linkgate.broker.interop.PahoV5Clients.filter;
import static io.linkgate.broker.interop.PahoV5Clients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session whose subscriptions overlap gets one copy of a message: the highest QoS of the matching subscriptions,
 * all their subscription identifiers; no-local and retain-as-published taken per subscription (a no-local
 * subscription matching its own client's message contributes nothing). Shared subscriptions stay separate
 * deliveries. "Exactly one" is proved by a later message being the next one to arrive (per-publisher order).
 */
@Tag("slow")
@Timeout(120)
class OverlappingSubscriptionsTest {
  private BrokerFixture broker;
  private MosquittoV5Clients mosquitto;
  private final PahoV5Clients pahos = new PahoV5Clients();

  @BeforeEach
  void start() throws Exception {
    broker = new BrokerFixture();
    mosquitto = new MosquittoV5Clients(broker.tcpPort());
  }

  @AfterEach
  void stop() throws Exception {
    pahos.close();
    mosquitto.close();
    broker.close();
  }

  private void awaitSubscriptions(int n) throws Exception {
    MosquittoV5Clients.awaitBroker(broker, "subscription count", Broker::subscriptionCount, n);
  }

  private static String describe(Received r) {
    return r.topic() + " " + r.payload() + " qos" + r.message().getQos() + (r.message().isRetained() ? " retained" : "");
  }

  @Test
  void mosquittoGetsOneCopyForTwoMatchingFilters() throws Exception {
    ExternalProcess sub = mosquitto.sub("-t", "TopicA", "-t", "TopicA/#", "-q", "1",
      "-D", "subscribe", "subscription-identifier", "2", "-F", "%t [%p] %q %S", "-C", "2");
    awaitSubscriptions(2);
    mosquitto.pub("-t", "TopicA", "-m", "one", "-q", "1");
    mosquitto.pub("-t", "TopicA/end", "-m", "end", "-q", "1"); // matches TopicA/# only
    assertThat(sub.nextLines(2, MosquittoV5Clients.WAIT)).containsExactly("TopicA [one] 1 2", "TopicA/end [end] 1 2");
  }

  @Test
  void oneCopyCarriesTheHighestQosAndEverySubscriptionIdentifier() throws Exception {
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient c = pahos.connect(broker.tcpUri(), "overlap-ids", inbox);
    subscribe(c, filter("TopicA", 0), 2);
    subscribe(c, filter("TopicA/#", 1), 3);
    subscribe(c, filter("+", 2), 0); // matches, adds no identifier
    mosquitto.pub("-t", "TopicA", "-m", "one", "-q", "2");
    mosquitto.pub("-t", "TopicA/end", "-m", "end", "-q", "1");

    Received one = inbox.next();
    assertThat(describe(one)).isEqualTo("TopicA one qos2");
    assertThat(one.subscriptionIds()).containsExactlyInAnyOrder(2, 3);
    Received end = inbox.next();
    assertThat(describe(end)).isEqualTo("TopicA/end end qos1");
    assertThat(end.subscriptionIds()).containsExactly(3);
  }

  @Test
  void aNoLocalSubscriptionContributesNothingToItsOwnClientsMessages() throws Exception {
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient c = pahos.connect(broker.tcpUri(), "overlap-nolocal", inbox);
    MqttSubscription noLocal = filter("nl/#", 2);
    noLocal.setNoLocal(true);
    noLocal.setRetainAsPublished(true);
    subscribe(c, noLocal, 4);
    subscribe(c, filter("nl/+", 0), 5);

    PahoV5Clients.publish(c, "nl/a", "mine", 2, true);
    mosquitto.pub("-t", "nl/a", "-m", "theirs", "-q", "2", "-r");

    // its own message: only nl/+ counts (QoS 0, identifier 5, no retain-as-published)
    Received mine = inbox.next();
    assertThat(describe(mine)).isEqualTo("nl/a mine qos0");
    assertThat(mine.subscriptionIds()).containsExactly(5);
    // another client's: both, merged
    Received theirs = inbox.next();
    assertThat(describe(theirs)).isEqualTo("nl/a theirs qos2 retained");
    assertThat(theirs.subscriptionIds()).containsExactlyInAnyOrder(4, 5);
  }

  @Test
  void theRetainFlagIsKeptWhenAnyMatchingSubscriptionIsRetainAsPublished() throws Exception {
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient c = pahos.connect(broker.tcpUri(), "overlap-rap", inbox);
    MqttSubscription rap = filter("r/#", 1);
    rap.setRetainAsPublished(true);
    subscribe(c, rap, 6);
    subscribe(c, filter("r/+", 1), 7);
    mosquitto.pub("-t", "r/a", "-m", "kept", "-q", "1", "-r");
    mosquitto.pub("-t", "r/a/b", "-m", "deeper", "-q", "1", "-r"); // r/# only

    Received kept = inbox.next();
    assertThat(describe(kept)).isEqualTo("r/a kept qos1 retained");
    assertThat(kept.subscriptionIds()).containsExactlyInAnyOrder(6, 7);
    assertThat(describe(inbox.next())).isEqualTo("r/a/b deeper qos1 retained");
  }

  @Test
  void aSharedSubscriptionStaysASeparateDelivery() throws Exception {
    PahoV5Inbox inbox = PahoV5Clients.inbox();
    MqttAsyncClient c = pahos.connect(broker.tcpUri(), "overlap-shared", inbox);
    subscribe(c, filter("sh/t", 1), 8);
    subscribe(c, filter("$share/g/sh/t", 1), 9);
    mosquitto.pub("-t", "sh/t", "-m", "x", "-q", "1");
    mosquitto.pub("-t", "sh/t", "-m", "y", "-q", "1");

    for (String payload : List.of("x", "y")) {
      Received first = inbox.next();
      Received second = inbox.next();
      assertThat(List.of(first.payload(), second.payload())).containsExactly(payload, payload);
      assertThat(List.of(first.subscriptionIds(), second.subscriptionIds()))
        .containsExactlyInAnyOrder(List.of(8), List.of(9));
    }
  }
}
