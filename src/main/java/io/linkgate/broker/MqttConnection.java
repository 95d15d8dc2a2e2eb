package io.linkgate.broker;

import io.linkgate.authn.AuthnOutcome;
import io.linkgate.authn.AuthnResult;
import io.linkgate.authn.ListenerAuthn;
import io.linkgate.broker.BrokerMetrics.DropReason;
import io.linkgate.broker.transport.MqttChannel;
import io.linkgate.broker.transport.PacketHandler;
import io.linkgate.topic.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client network connection: the MQTT protocol rules (CONNECT checks, topic aliases, flow control, reason
 * codes) on top of an {@link MqttChannel}, handing routing to the {@link Broker}. Runs on the broker thread.
 */
public final class MqttConnection implements PacketHandler {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
  private static final int MQTT_5 = 5;
  private static final int MAX_SUBSCRIPTION_ID = 268_435_455;

  private final Broker broker;
  private final MqttChannel channel;
  private final ListenerAuthn authn;
  private final long connectTimer;
  private boolean v5;
  private int keepAliveSeconds;
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
  private boolean connected;
  private boolean closed;
  /** PUBACK/PUBRECs waiting for a durable link buffer, and the last of them: later ones are sent after it. */
  private int acksWaiting;
  private Future<?> ackTail;
  /**
   * Bytes of PUBLISH packets handed to the socket and not yet written to the kernel, against
   * {@code mqtt.max_outbound_bytes}: a subscriber that reads slower than publishers write must not grow the broker's
   * memory without bound. Over the budget QoS 0 is dropped and QoS 1/2 wait in the session queue.
   */
  private long outboundBytes;
  /** The session stopped pumping because the budget was full: pump again once it has drained to half. */
  private boolean pumpOnDrain;
  private long lastActivity = System.currentTimeMillis();
  /** State a plugin keeps for this connection (the link handler binds a peer actor to it). */
  private Object attachment;
  /** Set when the listener was over a limit at accept: the CONNECT is answered with a refusal saying which. */
  private BrokerMetrics.Limit overListenerLimit;
  private boolean tooLargeCounted;

  MqttConnection(Broker broker, MqttChannel channel, ListenerAuthn authn) {
    this.broker = broker;
    this.channel = channel;
    this.authn = authn;
    broker.connectionOpened(this);
    // a client that opens a socket and sends no CONNECT is dropped after mqtt.idle_timeout
    this.connectTimer = broker.vertx.setTimer(broker.limits.connectTimeoutSeconds() * 1000L, id -> {
      if (!connected) {
        channel.close();
      }
    });
  }

  private BrokerLimits limits() {
    return broker.limits;
  }

  public Object attachment() {
    return attachment;
  }

  public void attachment(Object value) {
    this.attachment = value;
  }

  public ClientInfo client() {
    return client;
  }

  /** The listener id ({@code tcp:default}) this connection came in on. */
  String listener() {
    return channel.listener();
  }

  /**
   * The listener was full ({@code max_connections}) or accepting too fast ({@code max_conn_rate}) when this socket
   * arrived: its CONNECT gets CONNACK 0x97 / 0x9F (MQTT 3.1.1: 0x03 server unavailable) and the socket closes.
   */
  void refuseAtConnect(BrokerMetrics.Limit limit) {
    this.overListenerLimit = limit;
  }

  int clientReceiveMaximum() {
    return clientReceiveMaximum;
  }

  // ---- dispatch ----

  @Override
  public void onPacket(MqttMessage packet) {
    lastActivity = System.currentTimeMillis();
    if (packet.decoderResult().isFailure()) {
      onDecodeFailure(packet.decoderResult().cause());
      return;
    }
    if (closed || detached) {
      return;
    }
    var type = packet.fixedHeader().messageType();
    if (!connected) {
      if (type == io.netty.handler.codec.mqtt.MqttMessageType.CONNECT) {
        onConnect((MqttConnectMessage) packet);
      } else {
        channel.close(); // [MQTT-3.1.0-1]: the first packet must be CONNECT
      }
      return;
    }
    switch (type) {
      case PUBLISH -> onPublish((MqttPublishMessage) packet);
      case PUBACK -> session.onPuback(packetId(packet));
      case PUBREC -> session.onPubrec(packetId(packet), reasonCode(packet) >= 0x80);
      case PUBREL -> onPubrel(packetId(packet));
      case PUBCOMP -> session.onPubcomp(packetId(packet));
      case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) packet);
      case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) packet);
      case PINGREQ -> channel.pingresp();
      case DISCONNECT -> onDisconnect(packet);
      case CONNECT -> violation(ReasonCodes.PROTOCOL_ERROR, "second CONNECT [MQTT-3.1.0-2]");
      default -> violation(ReasonCodes.PROTOCOL_ERROR, "unexpected " + type);
    }
  }

  private static int packetId(MqttMessage packet) {
    return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
  }

  private static int reasonCode(MqttMessage packet) {
    return packet.variableHeader() instanceof MqttPubReplyMessageVariableHeader h ? h.reasonCode() & 0xFF : 0;
  }

  private void onDecodeFailure(Throwable cause) {
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      channel.connack(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, false,
        MqttProperties.NO_PROPERTIES);
      channel.close();
      return;
    }
    onError(cause);
  }

  // ---- CONNECT ----

  private void onConnect(MqttConnectMessage msg) {
    connected = true;
    broker.vertx.cancelTimer(connectTimer);
    MqttConnectVariableHeader header = msg.variableHeader();
    MqttConnectPayload payload = msg.payload();
    v5 = header.version() == MQTT_5;
    keepAliveSeconds = header.keepAliveTimeSeconds();
    String clientId = payload.clientIdentifier();
    boolean assigned = clientId == null || clientId.isEmpty();
    if (assigned && !header.isCleanSession() && !v5) {
      refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id needs a clean session");
      return;
    }
    if (assigned) {
      clientId = "linkgate-" + UUID.randomUUID();
    }
    String username = header.hasUserName() ? payload.userName() : null;
    byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
    String certCn = channel.peerCertCn();
    client = new ClientInfo(clientId, username, channel.remoteHost(), channel.listener(), header.version(), certCn);
    if (overListenerLimit != null) {
      broker.metrics.countLimit(overListenerLimit);
      refuse(!v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE
        : overListenerLimit == BrokerMetrics.Limit.MAX_CONN_RATE
        ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
        : MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED, overListenerLimit.tag);
      return;
    }
    Future<AuthnResult> authenticated = authn.authenticate(broker.passwords(), username, password, certCn);
    if (authenticated.isComplete()) {
      onAuthenticated(msg, assigned, authenticated.result());
      return;
    }
    // a password hash is being checked on the authentication workers: read nothing more from this client until
    // it is decided (the CONNECT message holds no pooled buffers, so keeping it is safe)
    channel.pause();
    authenticated.onComplete(ar -> {
      if (closed) {
        return;
      }
      onAuthenticated(msg, assigned, ar.succeeded() ? ar.result()
        : new AuthnResult(AuthnOutcome.SERVER_BUSY, client.username()));
      channel.resume(); // only now: packets that waited must find the session in place
    });
  }

  /** Continues a CONNECT once authentication decided. Never logs the password. */
  private void onAuthenticated(MqttConnectMessage msg, boolean assigned, AuthnResult authResult) {
    MqttConnectVariableHeader header = msg.variableHeader();
    MqttConnectPayload payload = msg.payload();
    broker.metrics.countAuthentication(authResult.outcome());
    if (!authResult.outcome().admitted) {
      log.debug("authentication failed [client-id: {}, username: {}, listener: {}, peer: {}, outcome: {}]",
        client.clientId(), client.username(), channel.listener(), client.peerHost(), authResult.outcome().tag);
      refuse(authnRefusal(authResult.outcome()), authResult.outcome().tag);
      return;
    }
    String clientId = client.clientId();
    client = new ClientInfo(clientId, authResult.username(), client.peerHost(), client.listener(),
      client.protocolVersion(), client.peerCertCn());

    MqttConnectReturnCode refusal = checkConnect(clientId, header, payload);
    if (refusal != null) {
      refuse(refusal, refusal.name());
      return;
    }
    readConnectProperties(header.properties());
    if (v5 && limits().serverKeepAliveSeconds() > 0) {
      keepAliveSeconds = limits().serverKeepAliveSeconds(); // announced in CONNACK; the client must follow it
    }

    boolean cleanStart = header.isCleanSession();
    long expiry = sessionExpiry(cleanStart, header.properties());
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
    channel.connack(MqttConnectReturnCode.CONNECTION_ACCEPTED, sessionPresent,
      connackProperties(assigned ? clientId : null, expiry, header.properties()));
    log.debug("client connected [client-id: {}, listener: {}, proto: {}, clean-start: {}, session-present: {}]",
      clientId, channel.listener(), header.version(), cleanStart, sessionPresent);
    session.resume(this);
  }

  private MqttConnectReturnCode authnRefusal(AuthnOutcome outcome) {
    return switch (outcome) {
      case BAD_USERNAME_OR_PASSWORD -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
      case SERVER_BUSY -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
      default -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    };
  }

  private void refuse(MqttConnectReturnCode code, String reason) {
    log.debug("connection refused [client-id: {}, reason: {}]", client == null ? "" : client.clientId(), reason);
    channel.connack(code, false, MqttProperties.NO_PROPERTIES);
    channel.close();
  }

  private MqttConnectReturnCode checkConnect(String clientId, MqttConnectVariableHeader header,
                                             MqttConnectPayload payload) {
    BrokerLimits limits = broker.limits;
    if (v5 && Integer.valueOf(0).equals(Mqtt5Properties.intValue(header.properties(),
      MqttProperties.RECEIVE_MAXIMUM))) {
      return MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR; // [MQTT-3.1.2.11.3]: 0 is not allowed
    }
    if (clientId.length() > limits.maxClientIdLength()) {
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_CLIENTID_LEN);
      return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
    }
    if (!broker.authorizer().canConnect(client)) {
      return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }
    if (header.isWillFlag()) {
      String topic = payload.willTopic();
      if (Topics.validateName(topic, limits.maxTopicLevels()) != null) {
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
          : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      }
      if (header.willQos() > limits.maxQosAllowed() && v5) {
        return MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED;
      }
      if (header.isWillRetain() && !limits.retainAvailable() && v5) {
        return MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED;
      }
      if (isReserved(topic)
        || !broker.authorizer().canPublish(client, topic, header.willQos(), header.isWillRetain())) {
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
          : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      }
      MqttProperties wp = payload.willProperties() == null ? MqttProperties.NO_PROPERTIES : payload.willProperties();
      byte[] bytes = payload.willMessageInBytes();
      Buffer willPayload = bytes == null ? Buffer.buffer() : Buffer.buffer(bytes);
      int qos = Math.min(header.willQos(), limits.maxQosAllowed());
      will = Mqtt5Properties.toMessage(topic, willPayload, qos, header.isWillRetain(), wp, clientId,
        System.currentTimeMillis());
      Integer delay = v5 ? Mqtt5Properties.intValue(wp, MqttProperties.WILL_DELAY_INTERVAL) : null;
      willDelaySeconds = delay == null ? 0 : delay & 0xFFFFFFFFL;
    }
    return null;
  }

  private void readConnectProperties(MqttProperties props) {
    if (!v5) {
      return;
    }
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

  private long sessionExpiry(boolean cleanStart, MqttProperties props) {
    long max = broker.limits.sessionExpirySeconds();
    if (!v5) {
      return cleanStart ? 0 : max;
    }
    Integer requested = Mqtt5Properties.intValue(props, MqttProperties.SESSION_EXPIRY_INTERVAL);
    long value = requested == null ? 0 : requested & 0xFFFFFFFFL;
    return Math.min(value, max);
  }

  private MqttProperties connackProperties(String assignedClientId, long expiry, MqttProperties connectProps) {
    if (!v5) {
      return MqttProperties.NO_PROPERTIES;
    }
    BrokerLimits limits = broker.limits;
    MqttProperties props = new MqttProperties();
    if (assignedClientId != null) {
      props.add(new StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assignedClientId));
    }
    Integer requested = Mqtt5Properties.intValue(connectProps, MqttProperties.SESSION_EXPIRY_INTERVAL);
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
    if (limits.serverKeepAliveSeconds() > 0) {
      props.add(new IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, limits.serverKeepAliveSeconds()));
    }
    props.add(new IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, limits.sharedSubscription() ? 1 : 0));
    return props;
  }

  /**
   * Periodic upkeep from the broker: enforces keep alive x {@code mqtt.keepalive_multiplier}, and runs the
   * session's retries.
   */
  void sweep(long now) {
    if (closed || detached || !connected) {
      return;
    }
    long limit = (long) (keepAliveSeconds * broker.limits.keepaliveMultiplier() * 1000);
    if (keepAliveSeconds > 0 && now - lastActivity > limit) {
      log.debug("keep alive timeout [client-id: {}]", client.clientId());
      disconnect(ReasonCodes.KEEP_ALIVE_TIMEOUT);
      return;
    }
    if (session != null && session.connection == this) {
      session.sweep(now, !v5);
    }
  }

  // ---- PUBLISH from the client ----

  private void onPublish(MqttPublishMessage msg) {
    BrokerLimits limits = broker.limits;
    int qos = msg.fixedHeader().qosLevel().value();
    int packetId = msg.variableHeader().packetId();
    broker.metrics.bytesReceived += msg.payload().readableBytes();
    if (qos == 0 && msg.fixedHeader().isDup()) {
      violation(ReasonCodes.MALFORMED_PACKET, "DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
      return;
    }
    if (qos > limits.maxQosAllowed()) {
      violation(ReasonCodes.QOS_NOT_SUPPORTED, "QoS " + qos + " is not supported");
      return;
    }
    if (msg.fixedHeader().isRetain() && !limits.retainAvailable()) {
      violation(ReasonCodes.RETAIN_NOT_SUPPORTED, "retained messages are not supported");
      return;
    }
    MqttProperties props = v5 ? msg.variableHeader().properties() : null;
    String topic = resolveTopicAlias(msg.variableHeader().topicName(), props);
    if (topic == null) {
      return;
    }
    String invalid = Topics.validateName(topic, limits.maxTopicLevels());
    if (invalid != null) {
      countIfTooDeep(topic);
      violation(ReasonCodes.TOPIC_NAME_INVALID, invalid);
      return;
    }
    if (qos == 2 && session.awaitingRel.containsKey(packetId)) {
      channel.pubrec(packetId, ReasonCodes.SUCCESS); // a resend of a message we already routed
      return;
    }
    if (qos == 2 && session.awaitingRel.size() >= Math.max(limits.maxAwaitingRel(), limits.maxInflight())) {
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_INFLIGHT);
      violation(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "too many QoS 2 messages awaiting PUBREL");
      return;
    }
    long now = System.currentTimeMillis();
    // one copy out of the decoder's pooled buffer; every delivery then shares it
    Buffer payload = Buffer.buffer(ByteBufUtil.getBytes(msg.payload()));
    Message message = Mqtt5Properties.toMessage(topic, payload, qos, msg.fixedHeader().isRetain(), props,
      client.clientId(), now);

    // authorization comes before the $LINK/ handler: a client the rules do not allow never reaches route sync
    if (isReserved(topic) && !topic.startsWith("$LINK/")
      || !broker.authorizer().canPublish(client, topic, qos, msg.fixedHeader().isRetain())) {
      denyPublish(qos, packetId, topic);
      return;
    }
    if (topic.startsWith("$LINK/")) {
      broker.linkHandler().handle(this, message).onComplete(ar -> {
        if (ar.failed()) {
          log.warn("link protocol error, disconnecting [client-id: {}, topic: {}, reason: {}]",
            client.clientId(), topic, ar.cause().getMessage());
          disconnect(ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR);
        } else {
          acknowledge(qos, packetId, ar.result());
        }
      });
      return;
    }
    if (qos == 0) {
      broker.publish(message);
    } else {
      acknowledgeInOrder(qos, packetId, broker.publishForAck(message));
    }
  }

  /**
   * Acknowledges when {@code code} completes, after every earlier acknowledgement: a message a durable link buffer
   * must store first is acknowledged later than it arrived, and MQTT wants PUBACKs in the order of the PUBLISHes.
   */
  private void acknowledgeInOrder(int qos, int packetId, Future<Integer> code) {
    if (acksWaiting == 0 && code.isComplete()) {
      acknowledge(qos, packetId, code.result());
      return;
    }
    acksWaiting++;
    Future<?> previous = ackTail == null ? code : ackTail;
    ackTail = previous.transform(ignored -> code).andThen(ar -> {
      acksWaiting--;
      acknowledge(qos, packetId, ar.succeeded() ? ar.result() : ReasonCodes.UNSPECIFIED_ERROR);
    });
  }

  /** {@code $SYS/} belongs to the broker; {@code $LINK/} to cluster links (checked by the link handler). */
  private static boolean isReserved(String topic) {
    return topic.startsWith("$SYS/") || topic.equals("$SYS") || topic.startsWith("$LINK/");
  }

  private String resolveTopicAlias(String topic, MqttProperties props) {
    Integer alias = props == null ? null : Mqtt5Properties.intValue(props, MqttProperties.TOPIC_ALIAS);
    if (alias == null) {
      if (topic == null || topic.isEmpty()) {
        violation(ReasonCodes.PROTOCOL_ERROR, "empty topic without a topic alias");
        return null;
      }
      return topic;
    }
    if (alias == 0 || alias > broker.limits.maxTopicAlias()) {
      violation(ReasonCodes.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
      return null;
    }
    if (inboundAliases == null) {
      inboundAliases = new HashMap<>();
    }
    if (topic == null || topic.isEmpty()) {
      String known = inboundAliases.get(alias);
      if (known == null) {
        violation(ReasonCodes.PROTOCOL_ERROR, "unknown topic alias " + alias);
      }
      return known;
    }
    inboundAliases.put(alias, topic);
    return topic;
  }

  /**
   * A refused PUBLISH, as EMQX answers it: with {@code deny_action = disconnect} the connection closes (MQTT 5:
   * DISCONNECT 0x87); otherwise MQTT 5 gets PUBACK/PUBREC 0x87 and MQTT 3.1.1, which has no negative
   * acknowledgement, a normal one: the message is dropped either way.
   */
  private void denyPublish(int qos, int packetId, String topic) {
    broker.metrics.publishDenied++;
    if (topic.startsWith("$LINK/")) {
      broker.metrics.linkPublishDenied++;
      log.warn("$LINK publish denied: not a cluster-link client by the ACL [client-id: {}, username: {}, peer: {}, "
        + "topic: {}]", client.clientId(), client.username(), client.peerHost(), topic);
    } else {
      log.debug("publish denied [client-id: {}, topic: {}]", client.clientId(), topic);
    }
    if (broker.authorizer().disconnectOnDeny()) {
      disconnect(ReasonCodes.NOT_AUTHORIZED);
    } else if (qos == 1) {
      channel.puback(packetId, v5 ? ReasonCodes.NOT_AUTHORIZED : ReasonCodes.SUCCESS);
    } else if (qos == 2) {
      // MQTT 3.1.1: PUBREC now, and the PUBREL that follows gets its PUBCOMP (an unknown id is fine for 3.1.1)
      channel.pubrec(packetId, v5 ? ReasonCodes.NOT_AUTHORIZED : ReasonCodes.SUCCESS);
    }
  }

  private void acknowledge(int qos, int packetId, int reasonCode) {
    if (closed) {
      return;
    }
    if (qos == 1) {
      channel.puback(packetId, reasonCode);
    } else if (qos == 2) {
      if (reasonCode < 0x80) {
        session.awaitingRel.put(packetId, System.currentTimeMillis());
      }
      channel.pubrec(packetId, reasonCode);
    }
  }

  private void onPubrel(int packetId) {
    boolean known = session.awaitingRel.remove(packetId) != null;
    channel.pubcomp(packetId, known || !v5 ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND);
  }

  // ---- SUBSCRIBE / UNSUBSCRIBE ----

  private void onSubscribe(MqttSubscribeMessage msg) {
    List<MqttTopicSubscription> requested = msg.payload().topicSubscriptions();
    if (requested.isEmpty()) {
      violation(ReasonCodes.PROTOCOL_ERROR, "SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
      return;
    }
    int subscriptionId = 0;
    if (v5) {
      Integer id = Mqtt5Properties.intValue(msg.idAndPropertiesVariableHeader().properties(),
        MqttProperties.SUBSCRIPTION_IDENTIFIER);
      if (id != null) {
        if (id <= 0 || id > MAX_SUBSCRIPTION_ID) {
          violation(ReasonCodes.PROTOCOL_ERROR, "subscription identifier out of range");
          return;
        }
        subscriptionId = id;
      }
    }
    int[] codes = new int[requested.size()];
    List<Subscription> accepted = new ArrayList<>();
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription ts = requested.get(i);
      int refusal = refusal(ts, accepted);
      if (closed) {
        return;
      }
      if (refusal != 0) {
        codes[i] = v5 ? refusal : ReasonCodes.UNSPECIFIED_ERROR;
        continue;
      }
      Subscription sub = toSubscription(ts, subscriptionId);
      accepted.add(sub);
      codes[i] = sub.qos();
    }
    channel.suback(msg.variableHeader().messageId(), codes);
    for (Subscription sub : accepted) {
      broker.subscribe(session, sub);
    }
  }

  /** 0 when the subscription is acceptable, else the SUBACK reason code (may close the connection instead). */
  private int refusal(MqttTopicSubscription ts, List<Subscription> acceptedInThisPacket) {
    BrokerLimits limits = broker.limits;
    String raw = ts.topicFilter();
    Topics.SharedFilter shared = Topics.parseShared(raw);
    String filter = shared == null ? raw : shared.filter();
    String invalid = shared == null ? Topics.validateFilter(raw, limits.maxTopicLevels())
      : Topics.validateShared(shared, limits.maxTopicLevels());
    if (invalid != null) {
      countIfTooDeep(filter);
      log.debug("subscription refused [client-id: {}, filter: {}, reason: {}]", client.clientId(), raw, invalid);
      return ReasonCodes.TOPIC_FILTER_INVALID;
    }
    if (shared != null && !limits.sharedSubscription()) {
      return ReasonCodes.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
    }
    if (shared != null && v5 && ts.option().isNoLocal()) {
      violation(ReasonCodes.PROTOCOL_ERROR, "no local on a shared subscription");
      return ReasonCodes.PROTOCOL_ERROR;
    }
    if (!limits.wildcardSubscription() && Topics.hasWildcard(filter)) {
      return ReasonCodes.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
    }
    // the filters accepted earlier in the same SUBSCRIBE count too: they are added only after the SUBACK
    if (!session.subscriptions.containsKey(raw)
      && session.subscriptions.size() + newSubscriptions(acceptedInThisPacket) >= limits.maxSubscriptions()) {
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_SUBSCRIPTIONS);
      log.debug("subscription refused: max_subscriptions reached [client-id: {}, filter: {}]", client.clientId(), raw);
      return ReasonCodes.QUOTA_EXCEEDED;
    }
    if (!broker.authorizer().canSubscribe(client, raw, ts.option().qos().value())) {
      broker.metrics.subscribeDenied++;
      log.debug("subscription denied [client-id: {}, filter: {}]", client.clientId(), raw);
      if (broker.authorizer().disconnectOnDeny()) {
        violation(ReasonCodes.NOT_AUTHORIZED, "subscription denied, deny_action = disconnect");
      }
      return ReasonCodes.NOT_AUTHORIZED;
    }
    return 0;
  }

  private int newSubscriptions(List<Subscription> accepted) {
    int n = 0;
    for (Subscription sub : accepted) {
      if (!session.subscriptions.containsKey(sub.key())) {
        n++;
      }
    }
    return n;
  }

  /** Counts {@code mqtt.max_topic_levels} when that is why a topic or filter was invalid. */
  private void countIfTooDeep(String topic) {
    int levels = 1;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == '/') {
        levels++;
      }
    }
    if (levels > broker.limits.maxTopicLevels()) {
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_TOPIC_LEVELS);
    }
  }

  private Subscription toSubscription(MqttTopicSubscription ts, int subscriptionId) {
    Topics.SharedFilter shared = Topics.parseShared(ts.topicFilter());
    var option = ts.option();
    int qos = Math.min(option.qos().value(), broker.limits.maxQosAllowed());
    return new Subscription(session, shared == null ? ts.topicFilter() : shared.filter(),
      shared == null ? null : shared.group(), qos, v5 && option.isNoLocal(), v5 && option.isRetainAsPublished(),
      v5 ? option.retainHandling().value() : 0, subscriptionId);
  }

  private void onUnsubscribe(MqttUnsubscribeMessage msg) {
    List<String> topics = msg.payload().topics();
    if (topics.isEmpty()) {
      violation(ReasonCodes.PROTOCOL_ERROR, "UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
      return;
    }
    short[] codes = new short[topics.size()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (short) (broker.unsubscribe(session, topics.get(i)) ? ReasonCodes.SUCCESS
        : ReasonCodes.NO_SUBSCRIPTION_EXISTED);
    }
    channel.unsuback(((MqttMessageIdAndPropertiesVariableHeader) msg.variableHeader()).messageId(), codes);
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
    int size;
    if (v5) {
      props = Mqtt5Properties.forDelivery(m, d, now);
      int alias = clientTopicAliasMax > 0 && !dup ? outboundAlias(topic) : 0;
      String wireTopic = topic;
      if (alias > 0) {
        props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        wireTopic = outboundAliases.containsKey(topic) ? "" : topic;
      }
      // sized once: for the client's limit and for the outbound budget
      size = Mqtt5Properties.publishPacketSize(wireTopic, d.qos, props, m.payload().length());
      // [MQTT-3.1.2-25]: a packet over the client's limit is not sent, and the session forgets it as if it had
      // been delivered (its inflight slot is freed), so oversized messages cannot stall a QoS 1/2 window
      if (clientMaxPacketSize > 0 && size > clientMaxPacketSize) {
        broker.metrics.countDrop(DropReason.TOO_LARGE);
        return false;
      }
      if (alias > 0 && !wireTopic.isEmpty()) {
        outboundAliases.put(topic, alias); // assigned only now: the client learns it from this packet
      }
      topic = wireTopic;
    } else {
      // MQTT 3.1.1 has no property length byte
      size = Mqtt5Properties.publishPacketSize(topic, d.qos, props, m.payload().length()) - 1;
    }
    // one packet always fits an empty budget, so a limit below the packet size slows a client but never starves it
    if (d.qos == 0 && outboundBytes > 0 && outboundBytes + size > limits().maxOutboundBytes()) {
      broker.metrics.countDrop(DropReason.SLOW_CONSUMER);
      return false;
    }
    broker.metrics.messagesDelivered++;
    broker.metrics.bytesSent += m.payload().length();
    outboundBytes += size;
    // the payload's bytes are shared by every delivery: no copy per subscriber until the encoder writes the packet
    channel.publish(topic, ((BufferInternal) m.payload()).getByteBuf(), d.qos, dup, d.retain,
      d.qos == 0 ? 0 : d.packetId, props).onComplete(ar -> written(size));
    return true;
  }

  /**
   * Whether {@code mqtt.max_outbound_bytes} is used up: the session then keeps QoS 1/2 messages queued, and is
   * pumped again when the socket has drained to half the budget (the gap keeps it from pumping one packet at a time).
   */
  boolean outboundFull() {
    if (outboundBytes < limits().maxOutboundBytes()) {
      return false;
    }
    pumpOnDrain = true;
    return true;
  }

  /** A PUBLISH left for the kernel (or failed with the socket): its bytes leave the budget. */
  private void written(int size) {
    outboundBytes -= size;
    if (pumpOnDrain && outboundBytes <= limits().maxOutboundBytes() / 2) {
      pumpOnDrain = false;
      if (!closed && !detached && session != null && session.connection == this) {
        session.pump();
      }
    }
  }

  /** Bytes of PUBLISH packets waiting to be written to this client. */
  long outboundBytes() {
    return outboundBytes;
  }

  /**
   * The topic alias for a topic: the one the client already knows, or the next free one (recorded by the caller once
   * the packet goes out), or 0 when all are taken.
   */
  private int outboundAlias(String topic) {
    if (outboundAliases == null) {
      outboundAliases = new HashMap<>();
    }
    Integer alias = outboundAliases.get(topic);
    if (alias != null) {
      return alias;
    }
    return outboundAliases.size() < clientTopicAliasMax ? outboundAliases.size() + 1 : 0;
  }

  void sendPubrel(int packetId) {
    if (!closed) {
      channel.pubrel(packetId);
    }
  }

  // ---- end of the connection ----

  private void onDisconnect(MqttMessage msg) {
    int code = msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h ? h.reasonCode() & 0xFF : 0;
    if (code != 0x04) {
      will = null; // a normal DISCONNECT discards the will; 0x04 is "disconnect with will message"
    }
    if (v5 && session != null && msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      Integer expiry = Mqtt5Properties.intValue(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null && session.expirySeconds > 0) {
        session.expirySeconds = Math.min(expiry & 0xFFFFFFFFL, broker.limits.sessionExpirySeconds());
      }
    }
    channel.close();
  }

  /** Another connection with the same client id arrived: MQTT 5 clients are told why (0x8E). */
  void takenOver() {
    log.debug("session taken over [client-id: {}]", client.clientId());
    detached = true;
    broker.detach(session, will, willDelaySeconds);
    disconnect(ReasonCodes.SESSION_TAKEN_OVER);
  }

  /** Closes the connection, telling an MQTT 5 client the reason. */
  public void disconnect(int reasonCode) {
    channel.disconnect(v5 && connected, reasonCode);
  }

  private void violation(int reasonCode, String reason) {
    log.debug("protocol violation, closing [client-id: {}, reason-code: 0x{}, reason: {}]",
      client == null ? "" : client.clientId(), Integer.toHexString(reasonCode), reason);
    disconnect(reasonCode);
  }

  @Override
  public void onError(Throwable t) {
    log.debug("connection error [client-id: {}, reason: {}]", client == null ? "" : client.clientId(), t.toString());
    if (t instanceof java.io.IOException) {
      return; // the socket is gone; nothing to tell the client
    }
    // everything else is the decoder or the frame check refusing the bytes
    boolean tooLarge = t instanceof TooLongFrameException || t.getCause() instanceof TooLongFrameException;
    if (tooLarge && !tooLargeCounted) {
      tooLargeCounted = true; // the rest of the oversized packet may fail again before the socket closes
      broker.metrics.countLimit(BrokerMetrics.Limit.MAX_PACKET_SIZE);
    }
    disconnect(tooLarge ? ReasonCodes.PACKET_TOO_LARGE : ReasonCodes.MALFORMED_PACKET);
  }

  @Override
  public void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    broker.vertx.cancelTimer(connectTimer);
    broker.connectionClosed(this);
    if (!detached && session != null && session.connection == this) {
      broker.detach(session, will, willDelaySeconds);
    }
    log.debug("client disconnected [client-id: {}]", client == null ? "" : client.clientId());
  }
}
