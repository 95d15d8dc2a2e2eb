package io.linkgate.link.wire;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 16-byte message ids, as EMQX's GUIDs are long: a random 64-bit prefix drawn once per process, then a counter.
 * Receivers only need them unique; a per-message random draw (SecureRandom above all) costs more than the rest of
 * the encoding. Two processes share a prefix with probability 2^-64.
 */
public final class MessageIds {
  private static final long PREFIX = new SecureRandom().nextLong();
  private static final AtomicLong COUNTER = new AtomicLong();

  private MessageIds() {
  }

  /** The first 8 bytes (big-endian) of every id this process makes. */
  public static long prefix() {
    return PREFIX;
  }

  /** The last 8 bytes of a new id: never the same twice in a process (2^64 ids). */
  public static long next() {
    return COUNTER.getAndIncrement();
  }
}
