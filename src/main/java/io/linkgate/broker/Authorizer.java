package io.linkgate.broker;

/**
 * The one authorization point every CONNECT, PUBLISH and SUBSCRIBE passes through. The default allows everything,
 * as EMQX does without rules; the security issue plugs ACL rules in here. Called on the broker thread: no blocking.
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
}
