package io.linkgate.broker;

/**
 * The one authorization point every CONNECT, PUBLISH and SUBSCRIBE passes through. The default allows everything,
 * as EMQX does without rules; {@code io.linkgate.acl.AclAuthorizer} plugs ACL rules in here. Called on the broker
 * thread: no blocking.
 */
public interface Authorizer {

  Authorizer ALLOW_ALL = new Authorizer() {
  };

  default boolean canConnect(ClientInfo client) {
    return true;
  }

  default boolean canPublish(ClientInfo client, String topic) {
    return true;
  }

  default boolean canSubscribe(ClientInfo client, String filter) {
    return true;
  }

  /** With the message's QoS and retain flag, for rules such as {@code {publish, [{qos, 2}, {retain, true}]}}. */
  default boolean canPublish(ClientInfo client, String topic, int qos, boolean retain) {
    return canPublish(client, topic);
  }

  /** With the requested maximum QoS; the filter may be a shared one ({@code $share/<group>/<filter>}). */
  default boolean canSubscribe(ClientInfo client, String filter, int qos) {
    return canSubscribe(client, filter);
  }

  /** EMQX's {@code deny_action = disconnect}: a refused PUBLISH or SUBSCRIBE closes the connection. */
  default boolean disconnectOnDeny() {
    return false;
  }
}
