package io.linkgate.broker;

/** Sees every routed local message after local delivery; cluster links forward what their peers want. */
public interface MessageForwarder {

  MessageForwarder NONE = message -> {
  };

  /** Called on the broker thread for each message without an origin; must not block. */
  void forward(Message message);
}
