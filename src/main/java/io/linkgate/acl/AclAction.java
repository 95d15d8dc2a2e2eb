package io.linkgate.acl;

/**
 * The "action" of an ACL rule: {@code publish}, {@code subscribe} or {@code all}, optionally narrowed by QoS and (for
 * publish) the retain flag, as in {@code {publish, [{qos, [1, 2]}, {retain, true}]}}.
 *
 * @param qosMask bit q set when QoS q is covered (0b111 for every QoS)
 * @param retain  null for any retain flag, else the flag a publish must carry
 */
record AclAction(Kind kind, int qosMask, Boolean retain) {

  enum Kind { PUBLISH, SUBSCRIBE, ALL }

  static final int ANY_QOS = 0b111;
  static final AclAction ALL = new AclAction(Kind.ALL, ANY_QOS, null);

  boolean covers(Request request) {
    if (kind != Kind.ALL && (kind == Kind.PUBLISH) != request.publish()) {
      return false;
    }
    if ((qosMask & (1 << request.qos())) == 0) {
      return false;
    }
    return retain == null || !request.publish() || retain == request.retain();
  }

  /** What a client asks to do: publish a message, or subscribe with a maximum QoS. */
  record Request(boolean publish, String topic, int qos, boolean retain) {
  }
}
