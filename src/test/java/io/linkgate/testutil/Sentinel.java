package io.linkgate.testutil;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Proves that nothing (more) arrives without sleeping: publish a sentinel after the message that must not arrive,
 * from the same publisher and over the same path, and wait for the sentinel. Messages from one publisher are
 * delivered in order, so once the sentinel is in, whatever was published before it has arrived or never will.
 */
public final class Sentinel {
  private static final String PREFIX = "sentinel-";
  private static final AtomicLong SEQ = new AtomicLong();

  private Sentinel() {
  }

  /** Sends one sentinel payload (a unique string) the way the message under test was sent. */
  @FunctionalInterface
  public interface Publish {
    void send(String payload) throws Exception;
  }

  /**
   * Publishes a fresh sentinel and waits (bounded) until one of the {@code received} entries contains it.
   *
   * @return the sentinel's payload, for assertions that want to name it
   */
  public static String publishAndAwait(Publish publish, Supplier<? extends Collection<String>> received)
    throws Exception {
    return publishAndAwait(publish, received, 1);
  }

  /** Like {@link #publishAndAwait(Publish, Supplier)}, waiting for {@code copies} entries with the sentinel. */
  public static String publishAndAwait(Publish publish, Supplier<? extends Collection<String>> received, int copies)
    throws Exception {
    String payload = PREFIX + SEQ.incrementAndGet();
    publish.send(payload);
    Await.until("sentinel " + payload + " arrived", Duration.ofSeconds(15),
      () -> received.get().stream().filter(s -> s.contains(payload)).count() >= copies);
    return payload;
  }

  /** The entries that are not sentinels: what the test's own assertions are about. */
  public static List<String> without(Collection<String> received) {
    return received.stream().filter(s -> !s.contains(PREFIX)).toList();
  }
}
