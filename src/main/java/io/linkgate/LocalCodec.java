package io.linkgate;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable objects between verticles of one JVM by reference. Refuses the wire: Linkgate's event-bus
 * traffic never leaves the process.
 */
public final class LocalCodec implements MessageCodec<Object, Object> {
  public static final String NAME = "linkgate-local";
  /** Delivery options for every message Linkgate sends between its verticles. */
  public static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);

  /** Registers the codec once per Vert.x instance (several Linkgate nodes may share one in tests). */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another node on this Vert.x did it
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    throw new UnsupportedOperationException("local delivery only");
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("local delivery only");
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
