package io.linkgate.broker;

/** MQTT 5 reason codes the broker sends (MQTT 5 §2.4). */
final class ReasonCodes {
  static final int SUCCESS = 0x00;
  static final int NO_MATCHING_SUBSCRIBERS = 0x10;
  static final int NO_SUBSCRIPTION_EXISTED = 0x11;
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int MALFORMED_PACKET = 0x81;
  static final int PROTOCOL_ERROR = 0x82;
  static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
  static final int NOT_AUTHORIZED = 0x87;
  static final int SERVER_SHUTTING_DOWN = 0x8B;
  static final int KEEP_ALIVE_TIMEOUT = 0x8D;
  static final int SESSION_TAKEN_OVER = 0x8E;
  static final int TOPIC_FILTER_INVALID = 0x8F;
  static final int TOPIC_NAME_INVALID = 0x90;
  static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
  static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
  static final int TOPIC_ALIAS_INVALID = 0x94;
  static final int PACKET_TOO_LARGE = 0x95;
  static final int QUOTA_EXCEEDED = 0x97;
  static final int RETAIN_NOT_SUPPORTED = 0x9A;
  static final int QOS_NOT_SUPPORTED = 0x9B;
  static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
  static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

  private ReasonCodes() {
  }
}
