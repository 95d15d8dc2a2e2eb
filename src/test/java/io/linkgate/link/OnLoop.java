package io.linkgate.link;

import io.linkgate.testutil.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs test code on one event-loop context, the one that owns the object under test (a forwarding pool, a
 * replicator and their fake clients): the JUnit thread never touches their state itself.
 */
final class OnLoop {
  interface Action {
    void run() throws Exception;
  }

  private final Context context;

  OnLoop(Vertx vertx) {
    this.context = vertx.getOrCreateContext(); // from a non-Vert.x thread: a new event-loop context
  }

  /** The result of {@code task}, run on the loop (at once when called there); its exception is rethrown here. */
  <T> T call(Callable<T> task) throws Exception {
    if (Vertx.currentContext() == context) {
      return task.call();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(task.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      return result.get(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  void run(Action action) throws Exception {
    call(() -> {
      action.run();
      return null;
    });
  }

  /** Polls {@code condition} on the loop until it holds, within {@code bound}. */
  void until(String what, Duration bound, Callable<Boolean> condition) {
    Await.until(what, bound, () -> call(condition));
  }
}
