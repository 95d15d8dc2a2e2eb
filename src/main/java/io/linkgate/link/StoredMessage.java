package io.linkgate.link;

import io.linkgate.broker.Message;

/**
 * A message for a durable link, already in its log: {@code seq} is acknowledged in the log when the peer's PUBACK
 * arrives; {@code record} is the encoded {@code #message{}} that was stored and is sent as it is.
 */
record StoredMessage(Message message, long seq, byte[] record) {
}
