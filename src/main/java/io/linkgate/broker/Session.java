package io.linkgate.broker;

import io.linkgate.broker.BrokerMetrics.DropReason;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state the broker keeps for one client id, across connections when the session is persistent: subscriptions,
 * the outbound inflight window, the queue behind it, and inbound QoS 2 packet ids awaiting PUBREL.
 * Owned by the broker thread.
 */
public final class Session {
  final String clientId;
  private final Broker broker;
  MqttConnection connection;
  /** Seconds the session outlives its connection; 0 = ends with the connection. */
  long expirySeconds;
  long expiryTimer = -1;
  /** A will waiting for its delay to pass, with its timer; cleared when the client comes back. */
  Message pendingWill;
  long willTimer = -1;

  final Map<String, Subscription> subscriptions = new HashMap<>();
  private final LinkedHashMap<Integer, Delivery> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private int queuedQos0;
  /** Inbound QoS 2 packet ids awaiting PUBREL, with the time they arrived. */
  final Map<Integer, Long> awaitingRel = new HashMap<>();
  private int lastPacketId;
  /** The {@link Fanout} that last collected this session, and the slot it gave it: valid only for that mark. */
  long fanoutMark;
  int fanoutSlot;
  /** The subscription identifiers of this session's last merged copy, shared by deliveries with the same set. */
  int[] lastMergedIds;

  Session(String clientId, Broker broker) {
    this.clientId = clientId;
    this.broker = broker;
  }

  public String clientId() {
    return clientId;
  }

  public boolean isConnected() {
    return connection != null;
  }

  /** Takes one message for this client: sends it now, or queues it behind the inflight window or while offline. */
  void deliver(Delivery d) {
    MqttConnection conn = connection;
    if (conn == null) {
      if (d.qos == 0 && !broker.limits.mqueueStoreQos0()) {
        broker.metrics.countDrop(DropReason.QOS0_OFFLINE);
        return;
      }
      enqueue(d);
      return;
    }
    if (d.qos == 0) {
      conn.sendPublish(d, false);
      return;
    }
    if (queue.isEmpty() && inflight.size() < window(conn) && !conn.outboundFull()) {
      sendTracked(conn, d);
    } else {
      enqueue(d);
    }
  }

  private int window(MqttConnection conn) {
    return Math.min(broker.limits.maxInflight(), conn.clientReceiveMaximum());
  }

  private void enqueue(Delivery d) {
    if (queue.size() >= broker.limits.maxMqueueLen()) {
      if (d.qos == 0) {
        broker.metrics.countDrop(DropReason.QUEUE_FULL);
        broker.metrics.countLimit(BrokerMetrics.Limit.MAX_MQUEUE_LEN);
        return;
      }
      dropOneQueued();
    }
    queue.add(d);
    if (d.qos == 0) {
      queuedQos0++;
    }
  }

  /** Makes room in a full queue: the oldest QoS 0 message goes first, otherwise the oldest message. */
  private void dropOneQueued() {
    Delivery victim = null;
    if (queuedQos0 > 0) {
      for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
        Delivery q = it.next();
        if (q.qos == 0) {
          it.remove();
          victim = q;
          break;
        }
      }
    }
    if (victim == null) {
      victim = queue.poll();
    }
    if (victim != null) {
      if (victim.qos == 0) {
        queuedQos0--;
      }
      broker.metrics.countDrop(DropReason.QUEUE_FULL);
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_MQUEUE_LEN);
    }
  }

  private void sendTracked(MqttConnection conn, Delivery d) {
    d.packetId = nextPacketId();
    d.sentAt = System.currentTimeMillis();
    inflight.put(d.packetId, d);
    if (!conn.sendPublish(d, false)) {
      inflight.remove(d.packetId);
    }
  }

  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId));
    return lastPacketId;
  }

  /** Fills the inflight window from the queue, until the socket's outbound budget is used up. */
  void pump() {
    MqttConnection conn = connection;
    long now = System.currentTimeMillis();
    while (conn != null && !queue.isEmpty() && (queue.peek().qos == 0 || inflight.size() < window(conn))
      && !conn.outboundFull()) {
      Delivery d = queue.poll();
      if (d.qos == 0) {
        queuedQos0--;
      }
      if (d.message.isExpired(now)) {
        broker.metrics.countDrop(DropReason.EXPIRED);
        continue;
      }
      if (d.qos == 0) {
        conn.sendPublish(d, false);
      } else {
        sendTracked(conn, d);
      }
      conn = connection; // a write failure may have closed it
    }
  }

  /** A new connection took this session over: resend what is unacknowledged (DUP), then drain the queue. */
  void resume(MqttConnection conn) {
    this.connection = conn;
    for (Delivery d : new ArrayList<>(inflight.values())) {
      if (connection != conn) {
        return;
      }
      if (d.released) {
        conn.sendPubrel(d.packetId);
      } else if (!conn.sendPublish(d, true)) {
        inflight.remove(d.packetId);
      }
    }
    pump();
  }

  /**
   * Periodic upkeep: resends what an MQTT 3.1.1 client left unacknowledged for longer than the retry interval, and
   * forgets QoS 2 packet ids whose PUBREL never came.
   */
  void sweep(long now, boolean retry) {
    MqttConnection conn = connection;
    long retryMs = broker.limits.retryIntervalMillis();
    if (retry && conn != null && !inflight.isEmpty()) {
      for (Delivery d : inflight.values()) {
        if (now - d.sentAt >= retryMs) {
          if (d.released) {
            conn.sendPubrel(d.packetId);
          } else {
            conn.sendPublish(d, true);
          }
          d.sentAt = now;
        }
      }
    }
    if (!awaitingRel.isEmpty()) {
      long limit = broker.limits.awaitRelTimeoutMillis();
      awaitingRel.values().removeIf(arrived -> now - arrived >= limit);
    }
  }

  void onPuback(int packetId) {
    if (inflight.remove(packetId) != null) {
      pump();
    }
  }

  void onPubrec(int packetId, boolean failed) {
    Delivery d = inflight.get(packetId);
    if (d == null) {
      if (connection != null) {
        connection.sendPubrel(packetId); // lets the client finish its side
      }
      return;
    }
    if (failed) {
      inflight.remove(packetId);
      pump();
      return;
    }
    d.released = true;
    d.sentAt = System.currentTimeMillis();
    if (connection != null) {
      connection.sendPubrel(packetId);
    }
  }

  void onPubcomp(int packetId) {
    if (inflight.remove(packetId) != null) {
      pump();
    }
  }

  /**
   * Takes out the messages this session got through a shared subscription and has not finished, so the broker can
   * hand them to another member of the group. Messages whose QoS 2 release already started stay here.
   */
  List<Delivery> takeSharedDeliveries(boolean includeQueued) {
    List<Delivery> taken = new ArrayList<>();
    for (Iterator<Delivery> it = inflight.values().iterator(); it.hasNext(); ) {
      Delivery d = it.next();
      if (d.group != null && !d.released) {
        it.remove();
        taken.add(d);
      }
    }
    if (includeQueued) {
      for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
        Delivery d = it.next();
        if (d.group != null) {
          it.remove();
          if (d.qos == 0) {
            queuedQos0--;
          }
          taken.add(d);
        }
      }
    }
    return taken;
  }

  /** Everything still owed to the client, for a session that ends: counted as dropped. */
  void discardPending() {
    int pending = inflight.size() + queue.size();
    for (int i = 0; i < pending; i++) {
      broker.metrics.countDrop(DropReason.SESSION_ENDED);
    }
    inflight.clear();
    queue.clear();
    queuedQos0 = 0;
    awaitingRel.clear();
  }
}
