package io.linkgate.testutil;

import io.vertx.core.Future;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Bounded waits for tests: a future's result, or a condition polled until it holds. Nothing here waits without a
 * bound, and nothing sleeps a fixed time hoping that the machine was fast enough.
 */
public final class Await {
  /** Long enough for a loaded CI machine; a wait that needs it has failed anyway. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  private Await() {
  }

  /** The future's result, or an exception when it failed or took longer than {@link #DEFAULT}. */
  public static <T> T result(Future<T> future) throws Exception {
    return result(future, DEFAULT);
  }

  public static <T> T result(Future<T> future, Duration bound) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code bound}. */
  public static void until(String what, Duration bound, Callable<Boolean> condition) {
    await(what).atMost(bound).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  /** Polls until {@code assertion} passes; after {@code bound} fails with the assertion's own message. */
  public static void untilAsserted(Duration bound, ThrowingRunnable assertion) {
    await().atMost(bound).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
  }
}
