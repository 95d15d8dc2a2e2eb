package io.linkgate.broker;

import io.vertx.core.Future;

/** Sees every routed local message after local delivery; cluster links forward what their peers want. */
public interface MessageForwarder {

  MessageForwarder NONE = message -> null;

  /**
   * Called on the broker thread for each message without an origin; must not block.
   *
   * @return null when the message is handed over, or a future that completes once every link that keeps it on disk
   *     ({@code buffer_mode = durable}) has stored it: the publisher is acknowledged only then. It fails when a log
   *     refused it ({@link io.linkgate.store.LogFullException} with {@code overflow = reject_new}) or could not write.
   */
  Future<Void> forward(Message message);
}
