package io.linkgate.store;

/**
 * A consistent snapshot of a log's counters, taken on its writer thread.
 *
 * <p>{@code appended} includes the {@code recovered} records found unacknowledged when the log was opened, so that
 * {@code appended = acknowledged + droppedQueueFull + droppedExpired + backlogMessages} always holds. Rejected
 * appends never entered the log and are outside that sum.
 *
 * @param replayed records handed out by replay cursors (those of a previous run that were not yet acknowledged;
 *                 after a power loss this may include records acknowledged within the last fsync interval)
 * @param oldestBacklogAgeMillis age of the oldest unacknowledged record, 0 when the backlog is empty
 */
public record LogStats(long appended, long recovered, long acknowledged, long droppedQueueFull, long droppedExpired,
                       long rejected, long replayed, long backlogMessages, long backlogBytes,
                       long oldestBacklogAgeMillis, long segments, long fsyncs, long writeErrors) {

  /** The invariant the counters keep. */
  public boolean addsUp() {
    return appended == acknowledged + droppedQueueFull + droppedExpired + backlogMessages;
  }
}
