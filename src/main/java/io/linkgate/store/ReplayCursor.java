package io.linkgate.store;

import io.vertx.core.Future;

import java.util.List;

/** Reads unacknowledged records in sequence order, a batch at a time, so the caller paces the replay. */
public interface ReplayCursor {

  /** Up to {@code max} next records; an empty list when the cursor has reached the records of its creation time. */
  Future<List<LogRecord>> next(int max);
}
