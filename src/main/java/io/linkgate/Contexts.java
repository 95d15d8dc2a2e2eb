package io.linkgate;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.function.Supplier;

/**
 * Thread hops for state owned by one context: futures from other verticles, the event bus or socket callbacks may
 * complete on any thread, and the owner's state must only be touched on its own.
 */
public final class Contexts {

  private Contexts() {
  }

  /** Runs {@code op} on {@code context}; its result (or exception) completes the returned future there too. */
  public static <T> Future<T> run(Context context, Supplier<Future<T>> op) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      Future<T> result;
      try {
        result = op.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      resumeOn(context, result).onComplete(promise);
    });
    return promise.future();
  }

  /** {@code f}, completing on {@code context} whatever thread completes {@code f}. */
  public static <T> Future<T> resumeOn(Context context, Future<T> f) {
    Promise<T> promise = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }
}
