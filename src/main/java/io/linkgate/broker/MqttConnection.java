package io.linkgate.broker;

import io.linkgate.broker.BrokerMetrics.DropReason;
import io.linkgate.topic.Topics;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client network connection: the MQTT protocol rules on top of a vertx-mqtt endpoint (CONNECT checks, topic
 * aliases, flow control, reason codes), handing routing to the {@link Broker}. Runs on the broker thread.
 */
public final class MqttConnection {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
  private static final int MQTT_5 = 5;
  private static final int MAX_SUBSCRIPTION_ID = 268_435_455;
  /**
   * PUBLISH packets written but not yet flushed to the socket before QoS 0 messages are dropped for this client:
   * a subscriber that reads slower than publishers write must not grow the heap without bound. QoS 1/2 are bounded
   * by the inflight window and the session queue instead.
   */
  static final int MAX_UNFLUSHED_QOS0 = 10_000;

  private final Broker broker;
  private final MqttEndpoint endpoint;
  private final String listener;
  private final boolean v5;
  private ClientInfo client;
  private Session session;
  private Message will;
  private long willDelaySeconds;
  private int clientReceiveMaximum = 65535;
  private int clientMaxPacketSize;
  private int clientTopicAliasMax;
  private Map<Integer, String> inboundAliases;
  private Map<String, Integer> outboundAliases;
  /** Set when another connection took the session over: this one no longer speaks for it. */
  private boolean detached;
  private boolean closed;
  private int unflushed;
  private long lastActivity = System.currentTimeMillis();

  MqttConnection(Broker broker, MqttEndpoint endpoint, String listener) {
    this.broker = broker;
    this.endpoint = endpoint;
    this.listener = listener;
    this.v5 = endpoint.protocolVersion() == MQTT_5;
  }

  /** State a plugin keeps for this connection (the link handler binds a peer actor to it). */
  private Object attachment;

  public Object attachment() {
    return attachment;
  }

  public void attachment(Object value) {
    this.attachment = value;
  }

  public ClientInfo client() {
    return client;
  }

  public boolean isV5() {
    return v5;
  }

  int clientReceiveMaximum() {
    return clientReceiveMaximum;
  }

  // ---- CONNECT ----

  void start() {
    broker.connectionOpened(this);
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.closeHandler(v -> onClose());
    endpoint.exceptionHandler(this::onException);

    String clientId = endpoint.clientIdentifier();
    boolean assigned = clientId == null || clientId.isEmpty();
    if (assigned) {
      clientId = "linkgate-" + UUID.randomUUID();
    }
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String peer = endpoint.remoteAddress() == null ? "" : endpoint.remoteAddress().host();
    client = new ClientInfo(clientId, username, peer, listener, endpoint.protocolVersion());

    MqttConnectReturnCode refusal = checkConnect(clientId);
    if (refusal != null) {
      log.debug("connection refused [client-id: {}, reason: {}]", clientId, refusal);
      endpoint.reject(refusal);
      return;
    }
    readConnectProperties();

    boolean cleanStart = endpoint.isCleanSession();
    long expiry = sessionExpiry(cleanStart);
    Session existing = broker.session(clientId);
    if (existing != null && existing.connection != null) {
      existing.connection.takenOver();
    }
    boolean sessionPresent = false;
    if (existing != null && broker.session(clientId) == existing) {
      if (cleanStart) {
        broker.endSession(existing);
      } else {
        session = existing;
        broker.reattach(existing);
        sessionPresent = true;
      }
    }
    if (session == null) {
      session = broker.createSession(clientId);
    }
    session.expirySeconds = expiry;
    endpoint.accept(sessionPresent, connackProperties(assigned ? clientId : null, expiry));
    installHandlers();
    log.debug("client connected [client-id: {}, listener: {}, proto: {}, clean-start: {}, session-present: {}]",
      clientId, listener, endpoint.protocolVersion(), cleanStart, sessionPresent);
    session.resume(this);
  }

  private MqttConnectReturnCode checkConnect(String clientId) {
    BrokerLimits limits = broker.limits;
    if (v5 && Integer.valueOf(0).equals(Mqtt5Properties.intValue(endpoint.connectProperties(),
      MqttProperties.RECEIVE_MAXIMUM))) {
      return MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR; // [MQTT-3.1.2.11.3]: 0 is not allowed
    }
    if (clientId.length() > limits.maxClientIdLength()) {
      return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
    }
    if (!broker.authorizer().canConnect(client)) {
      return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }
    MqttWill w = endpoint.will();
    if (w != null && w.isWillFlag()) {
      String topic = w.getWillTopic();
      if (Topics.validateName(topic, limits.maxTopicLevels()) != null) {
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
          : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      }
      if (w.getWillQos() > limits.maxQosAllowed() && v5) {
        return MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED;
      }
      if (w.isWillRetain() && !limits.retainAvailable() && v5) {
        return MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED;
      }
      if (isReserved(topic) || !broker.authorizer().canPublish(client, topic)) {
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
          : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      }
      MqttProperties wp = w.getWillProperties() == null ? MqttProperties.NO_PROPERTIES : w.getWillProperties();
      Buffer payload = w.getWillMessage() == null ? Buffer.buffer() : w.getWillMessage();
      int qos = Math.min(w.getWillQos(), limits.maxQosAllowed());
      will = Mqtt5Properties.toMessage(topic, payload, qos, w.isWillRetain(), wp, clientId, System.currentTimeMillis());
      Integer delay = v5 ? Mqtt5Properties.intValue(wp, MqttProperties.WILL_DELAY_INTERVAL) : null;
      willDelaySeconds = delay == null ? 0 : delay & 0xFFFFFFFFL;
    }
    return null;
  }

  private void readConnectProperties() {
    if (!v5) {
      return;
    }
    MqttProperties props = endpoint.connectProperties();
    Integer receiveMax = Mqtt5Properties.intValue(props, MqttProperties.RECEIVE_MAXIMUM);
    if (receiveMax != null && receiveMax > 0) {
      clientReceiveMaximum = receiveMax;
    }
    Integer maxPacket = Mqtt5Properties.intValue(props, MqttProperties.MAXIMUM_PACKET_SIZE);
    if (maxPacket != null && maxPacket > 0) {
      clientMaxPacketSize = maxPacket;
    }
    Integer aliasMax = Mqtt5Properties.intValue(props, MqttProperties.TOPIC_ALIAS_MAXIMUM);
    if (aliasMax != null) {
      clientTopicAliasMax = aliasMax;
    }
  }

  private long sessionExpiry(boolean cleanStart) {
    long max = broker.limits.sessionExpirySeconds();
    if (!v5) {
      return cleanStart ? 0 : max;
    }
    Integer requested = Mqtt5Properties.intValue(endpoint.connectProperties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
    long value = requested == null ? 0 : requested & 0xFFFFFFFFL;
    return Math.min(value, max);
  }

  private MqttProperties connackProperties(String assignedClientId, long expiry) {
    if (!v5) {
      return MqttProperties.NO_PROPERTIES;
    }
    BrokerLimits limits = broker.limits;
    MqttProperties props = new MqttProperties();
    if (assignedClientId != null) {
      props.add(new StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assignedClientId));
    }
    Integer requested = Mqtt5Properties.intValue(endpoint.connectProperties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
    if (requested != null && (requested & 0xFFFFFFFFL) != expiry) {
      props.add(new IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
    }
    props.add(new IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, Math.min(limits.maxInflight(), 65535)));
    props.add(new IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, limits.maxPacketSize()));
    props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, limits.maxTopicAlias()));
    if (limits.maxQosAllowed() < 2) {
      props.add(new IntegerProperty(MqttProperties.MAXIMUM_QOS, limits.maxQosAllowed()));
    }
    props.add(new IntegerProperty(MqttProperties.RETAIN_AVAILABLE, limits.retainAvailable() ? 1 : 0));
    props.add(new IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, limits.wildcardSubscription() ? 1 : 0));
    props.add(new IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
    props.add(new IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, limits.sharedSubscription() ? 1 : 0));
    return props;
  }

  private void installHandlers() {
    endpoint.publishHandler(m -> {
      touch();
      onPublish(m);
    });
    endpoint.publishReleaseMessageHandler(m -> {
      touch();
      onPubrel(m.messageId());
    });
    endpoint.publishAcknowledgeMessageHandler(m -> {
      touch();
      session.onPuback(m.messageId());
    });
    endpoint.publishReceivedMessageHandler(m -> {
      touch();
      session.onPubrec(m.messageId(), (m.code().value() & 0xFF) >= 0x80);
    });
    endpoint.publishCompletionMessageHandler(m -> {
      touch();
      session.onPubcomp(m.messageId());
    });
    endpoint.subscribeHandler(m -> {
      touch();
      onSubscribe(m);
    });
    endpoint.unsubscribeHandler(m -> {
      touch();
      onUnsubscribe(m);
    });
    endpoint.pingHandler(v -> touch());
    endpoint.disconnectMessageHandler(this::onDisconnect);
  }

  private void touch() {
    lastActivity = System.currentTimeMillis();
  }

  /**
   * Periodic upkeep from the broker: enforces keep alive x multiplier when the multiplier is below the 1.5 that
   * vertx-mqtt applies itself, and runs the session's retries.
   */
  void sweep(long now) {
    if (closed || detached) {
      return;
    }
    double multiplier = broker.limits.keepaliveMultiplier();
    int keepAlive = endpoint.keepAliveTimeSeconds();
    if (keepAlive > 0 && multiplier < 1.5 && now - lastActivity > (long) (keepAlive * multiplier * 1000)) {
      log.debug("keep alive timeout [client-id: {}]", client.clientId());
      disconnect(MqttDisconnectReasonCode.KEEP_ALIVE_TIMEOUT);
      return;
    }
    if (session != null && session.connection == this) {
      session.sweep(now, !v5);
    }
  }

  // ---- PUBLISH from the client ----

  private void onPublish(MqttPublishMessage msg) {
    if (detached) {
      return;
    }
    BrokerLimits limits = broker.limits;
    int qos = msg.qosLevel().value();
    int packetId = msg.messageId();
    broker.metrics.bytesReceived += msg.payload().length();
    if (qos == 0 && msg.isDup()) {
      violation(MqttDisconnectReasonCode.MALFORMED_PACKET, "DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
      return;
    }
    if (qos > limits.maxQosAllowed()) {
      violation(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS " + qos + " is not supported");
      return;
    }
    if (msg.isRetain() && !limits.retainAvailable()) {
      violation(MqttDisconnectReasonCode.RETAIN_NOT_SUPPORTED, "retained messages are not supported");
      return;
    }
    String topic = resolveTopicAlias(msg);
    if (topic == null) {
      return;
    }
    String invalid = Topics.validateName(topic, limits.maxTopicLevels());
    if (invalid == null && topic.indexOf('\uFFFD') >= 0) {
      // the decoder replaces ill-formed UTF-8 with U+FFFD; treat it as the malformed string it was
      invalid = "topic is not well-formed UTF-8";
    }
    if (invalid != null) {
      violation(MqttDisconnectReasonCode.TOPIC_NAME_INVALID, invalid);
      return;
    }
    if (qos == 2 && session.awaitingRel.containsKey(packetId)) {
      endpoint.publishReceived(packetId); // a resend of a message we already routed
      return;
    }
    if (qos == 2 && session.awaitingRel.size() >= Math.max(limits.maxAwaitingRel(), limits.maxInflight())) {
      violation(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "too many QoS 2 messages awaiting PUBREL");
      return;
    }
    long now = System.currentTimeMillis();
    MqttProperties props = v5 ? msg.properties() : null;
    Message message = Mqtt5Properties.toMessage(topic, msg.payload(), qos, msg.isRetain(), props, client.clientId(), now);

    if (isReserved(topic) && !topic.startsWith("$LINK/") || !broker.authorizer().canPublish(client, topic)) {
      denyPublish(qos, packetId, topic);
      return;
    }
    if (topic.startsWith("$LINK/")) {
      broker.linkHandler().handle(this, message).onComplete(ar -> {
        if (ar.failed()) {
          log.warn("link protocol error, disconnecting [client-id: {}, topic: {}, reason: {}]",
            client.clientId(), topic, ar.cause().getMessage());
          disconnect(MqttDisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
        } else {
          acknowledge(qos, packetId, ar.result());
        }
      });
      return;
    }
    int matched = broker.publish(message);
    acknowledge(qos, packetId, matched > 0 ? 0 : LinkMessageHandler.NO_MATCHING_SUBSCRIBERS);
  }

  /** {@code $SYS/} belongs to the broker; {@code $LINK/} to cluster links (checked by the link handler). */
  private static boolean isReserved(String topic) {
    return topic.startsWith("$SYS/") || topic.equals("$SYS") || topic.startsWith("$LINK/");
  }

  private String resolveTopicAlias(MqttPublishMessage msg) {
    String topic = msg.topicName();
    Integer alias = v5 ? Mqtt5Properties.intValue(msg.properties(), MqttProperties.TOPIC_ALIAS) : null;
    if (alias == null) {
      if (topic == null || topic.isEmpty()) {
        violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "empty topic without a topic alias");
        return null;
      }
      return topic;
    }
    if (alias == 0 || alias > broker.limits.maxTopicAlias()) {
      violation(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
      return null;
    }
    if (inboundAliases == null) {
      inboundAliases = new HashMap<>();
    }
    if (topic == null || topic.isEmpty()) {
      String known = inboundAliases.get(alias);
      if (known == null) {
        violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
      }
      return known;
    }
    inboundAliases.put(alias, topic);
    return topic;
  }

  private void denyPublish(int qos, int packetId, String topic) {
    broker.metrics.publishDenied++;
    log.debug("publish denied [client-id: {}, topic: {}]", client.clientId(), topic);
    if (!v5) {
      endpoint.close(); // MQTT 3.1.1 has no negative acknowledgement
    } else if (qos == 1) {
      endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
    } else if (qos == 2) {
      endpoint.publishReceived(packetId, MqttPubRecReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
    }
  }

  private void acknowledge(int qos, int packetId, int reasonCode) {
    if (closed) {
      return;
    }
    if (qos == 1) {
      if (v5) {
        endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.valueOf((byte) reasonCode), MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.publishAcknowledge(packetId);
      }
    } else if (qos == 2) {
      if (reasonCode < 0x80) {
        session.awaitingRel.put(packetId, System.currentTimeMillis());
      }
      if (v5) {
        endpoint.publishReceived(packetId, MqttPubRecReasonCode.valueOf((byte) reasonCode), MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.publishReceived(packetId);
      }
    }
  }

  private void onPubrel(int packetId) {
    boolean known = session.awaitingRel.remove(packetId) != null;
    if (v5 && !known) {
      endpoint.publishComplete(packetId, MqttPubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.publishComplete(packetId);
    }
  }

  // ---- SUBSCRIBE / UNSUBSCRIBE ----

  private void onSubscribe(MqttSubscribeMessage msg) {
    int subscriptionId = 0;
    if (v5) {
      Integer id = Mqtt5Properties.intValue(msg.properties(), MqttProperties.SUBSCRIPTION_IDENTIFIER);
      if (id != null) {
        if (id <= 0 || id > MAX_SUBSCRIPTION_ID) {
          violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "subscription identifier out of range");
          return;
        }
        subscriptionId = id;
      }
    }
    if (msg.topicSubscriptions().isEmpty()) {
      violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
      return;
    }
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    List<Subscription> accepted = new ArrayList<>();
    for (MqttTopicSubscription ts : msg.topicSubscriptions()) {
      Subscription sub = toSubscription(ts, subscriptionId);
      if (sub == null && closed) {
        return;
      }
      if (sub == null) {
        codes.add(lastRefusal);
        continue;
      }
      accepted.add(sub);
      codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(sub.qos())));
    }
    if (!v5) {
      codes.replaceAll(c -> (c.value() & 0xFF) >= 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : c);
    }
    endpoint.subscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
    for (Subscription sub : accepted) {
      broker.subscribe(session, sub);
    }
  }

  private MqttSubAckReasonCode lastRefusal;

  private Subscription toSubscription(MqttTopicSubscription ts, int subscriptionId) {
    BrokerLimits limits = broker.limits;
    String raw = ts.topicName();
    Topics.SharedFilter shared = Topics.parseShared(raw);
    String filter = shared == null ? raw : shared.filter();
    String invalid = shared == null ? Topics.validateFilter(raw, limits.maxTopicLevels())
      : Topics.validateShared(shared, limits.maxTopicLevels());
    var option = ts.subscriptionOption();
    if (invalid != null) {
      log.debug("subscription refused [client-id: {}, filter: {}, reason: {}]", client.clientId(), raw, invalid);
      return refuse(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
    }
    if (shared != null && !limits.sharedSubscription()) {
      return refuse(MqttSubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
    }
    if (shared != null && v5 && option.isNoLocal()) {
      violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "no local on a shared subscription");
      return null;
    }
    if (!limits.wildcardSubscription() && Topics.hasWildcard(filter)) {
      return refuse(MqttSubAckReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
    }
    if (session.subscriptions.size() >= limits.maxSubscriptions() && !session.subscriptions.containsKey(raw)) {
      return refuse(MqttSubAckReasonCode.QUOTA_EXCEEDED);
    }
    if (!broker.authorizer().canSubscribe(client, raw)) {
      return refuse(MqttSubAckReasonCode.NOT_AUTHORIZED);
    }
    int qos = Math.min(ts.qualityOfService().value(), limits.maxQosAllowed());
    boolean noLocal = v5 && option.isNoLocal();
    boolean retainAsPublished = v5 && option.isRetainAsPublished();
    int retainHandling = v5 ? option.retainHandling().value() : 0;
    return new Subscription(session, filter, shared == null ? null : shared.group(), qos, noLocal, retainAsPublished,
      retainHandling, subscriptionId);
  }

  private Subscription refuse(MqttSubAckReasonCode code) {
    lastRefusal = code;
    return null;
  }

  private void onUnsubscribe(MqttUnsubscribeMessage msg) {
    if (msg.topics().isEmpty()) {
      violation(MqttDisconnectReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
      return;
    }
    List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
    for (String topic : msg.topics()) {
      codes.add(broker.unsubscribe(session, topic) ? MqttUnsubAckReasonCode.SUCCESS
        : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
    }
    if (v5) {
      endpoint.unsubscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.unsubscribeAcknowledge(msg.messageId());
    }
  }

  // ---- outbound ----

  /** Writes one PUBLISH for a delivery; returns false if it could not be sent (and was counted as dropped). */
  boolean sendPublish(Delivery d, boolean dup) {
    if (closed) {
      return false;
    }
    Message m = d.message;
    long now = System.currentTimeMillis();
    if (!dup && m.isExpired(now)) {
      broker.metrics.countDrop(DropReason.EXPIRED);
      return false;
    }
    String topic = m.topic();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (v5) {
      props = Mqtt5Properties.forDelivery(m, d.subscriptionId, now);
      if (clientMaxPacketSize > 0 && Mqtt5Properties.estimatePublishSize(topic, m, true) > clientMaxPacketSize) {
        broker.metrics.countDrop(DropReason.TOO_LARGE);
        return false;
      }
      if (clientTopicAliasMax > 0 && !dup) {
        topic = applyOutboundAlias(topic, props);
      }
    }
    if (d.qos == 0 && unflushed >= MAX_UNFLUSHED_QOS0) {
      broker.metrics.countDrop(DropReason.SLOW_CONSUMER);
      return false;
    }
    broker.metrics.messagesDelivered++;
    broker.metrics.bytesSent += m.payload().length();
    unflushed++;
    endpoint.publish(topic, m.payload(), MqttQoS.valueOf(d.qos), dup, d.retain, d.qos == 0 ? 0 : d.packetId, props)
      .onComplete(ar -> unflushed--);
    return true;
  }

  /** Uses (or assigns, while aliases are left) a topic alias; returns the topic to put on the wire. */
  private String applyOutboundAlias(String topic, MqttProperties props) {
    if (outboundAliases == null) {
      outboundAliases = new HashMap<>();
    }
    Integer alias = outboundAliases.get(topic);
    if (alias != null) {
      props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
      return "";
    }
    if (outboundAliases.size() < clientTopicAliasMax) {
      int next = outboundAliases.size() + 1;
      outboundAliases.put(topic, next);
      props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, next));
    }
    return topic;
  }

  void sendPubrel(int packetId) {
    if (!closed) {
      endpoint.publishRelease(packetId);
    }
  }

  // ---- end of the connection ----

  private void onDisconnect(MqttDisconnectMessage msg) {
    if (msg.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE) {
      will = null; // a normal DISCONNECT discards the will
    }
    if (v5 && session != null) {
      Integer expiry = Mqtt5Properties.intValue(msg.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null && session.expirySeconds > 0) {
        session.expirySeconds = Math.min(expiry & 0xFFFFFFFFL, broker.limits.sessionExpirySeconds());
      }
    }
  }

  /** Another connection with the same client id arrived: MQTT 5 clients are told why (0x8E). */
  void takenOver() {
    log.debug("session taken over [client-id: {}]", client.clientId());
    Message pending = will;
    detached = true;
    broker.detach(session, pending, willDelaySeconds);
    disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
  }

  /** Closes the connection, telling an MQTT 5 client the reason. */
  public void disconnect(MqttDisconnectReasonCode code) {
    if (closed) {
      return;
    }
    try {
      if (v5 && endpoint.isConnected()) {
        endpoint.disconnect(code, MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.close();
      }
    } catch (IllegalStateException alreadyClosed) {
      // the peer closed first
    }
  }

  private void violation(MqttDisconnectReasonCode code, String reason) {
    log.debug("protocol violation, closing [client-id: {}, reason-code: {}, reason: {}]",
      client == null ? "" : client.clientId(), code, reason);
    disconnect(code);
  }

  private void onException(Throwable t) {
    if (t instanceof java.io.IOException) {
      log.debug("connection error [client-id: {}, reason: {}]", client == null ? "" : client.clientId(), t.toString());
      return; // the socket is gone; nothing to tell the client
    }
    // everything else reaching us is the decoder refusing bytes (netty reports some as IllegalArgumentException)
    MqttDisconnectReasonCode code = t instanceof TooLongFrameException || t.getCause() instanceof TooLongFrameException
      ? MqttDisconnectReasonCode.PACKET_TOO_LARGE
      : MqttDisconnectReasonCode.MALFORMED_PACKET;
    log.debug("connection error [client-id: {}, reason: {}]", client == null ? "" : client.clientId(), t.toString());
    disconnect(code);
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    broker.connectionClosed(this);
    if (!detached && session != null && session.connection == this) {
      broker.detach(session, will, willDelaySeconds);
    }
    log.debug("client disconnected [client-id: {}]", client == null ? "" : client.clientId());
  }
}
