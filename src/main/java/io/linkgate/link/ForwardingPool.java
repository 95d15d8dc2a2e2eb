package io.linkgate.link;

import io.linkgate.broker.Message;
import io.linkgate.config.LinkOptions;
import io.linkgate.link.client.LinkClient;
import io.linkgate.link.client.LinkClientException;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.MessageRecord;
import io.linkgate.store.DurableLog;
import io.linkgate.store.LogRecord;
import io.linkgate.store.LogStats;
import io.linkgate.store.ReplayCursor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The message-forwarding connections of one link: {@code pool_size} MQTT clients publishing to
 * {@code $LINK/cluster/msg/<us>} on the peer, at QoS min(1, qos). The client is picked by the publisher's client id
 * so each publisher's order is kept. Messages wait in a bounded in-memory buffer (bytes and age) while a client is
 * down or its inflight window is full; what was in flight when a connection dropped is sent again after the
 * reconnect (at least once: duplicates are counted as {@code retried}); a message whose Message-Expiry-Interval
 * runs out while it waits is dropped before sending and counted ({@code dropped}, reason {@code expired}). A client
 * that cannot connect moves on to the next address of the {@code server} list and retries with exponential backoff
 * and jitter ({@link Backoff}); the pool logs each failure reason once per streak ({@link FailureLog}), not once per
 * client and attempt. A message larger than the peer's Maximum Packet Size is dropped, counted in {@code dropped} and
 * logged (throttled), never sent: the peer would close the connection for it. The clients come from a
 * {@link LinkClient.Factory} (fakes in unit tests). Owned by the link verticle.
 */
final class ForwardingPool {
  private static final Logger log = LoggerFactory.getLogger(ForwardingPool.class);

  private static final class Pending {
    final Message message;
    final long enqueuedAt;
    final int bytes;
    /** Its sequence number in the durable log, -1 for a memory-only message. */
    final long seq;
    /** The encoded record when it was stored, else null (encoded when sent). */
    final byte[] record;
    long sentAt;

    Pending(Message message, long enqueuedAt, long seq, byte[] record) {
      this.message = message;
      this.enqueuedAt = enqueuedAt;
      this.bytes = message.payload().length() + message.topic().length() + 64;
      this.seq = seq;
      this.record = record;
    }
  }

  private final class Worker {
    final int index;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    final ArrayDeque<Pending> inflight = new ArrayDeque<>();
    final ServerList servers = new ServerList(link.servers());
    final Backoff backoff = new Backoff(timings.poolReconnectDelay());
    LinkClient client;
    boolean established;
    long reconnectTimer = -1;
    long lastAckAt;
    String lastError;

    Worker(int index) {
      this.index = index;
    }

    void connect() {
      LinkClient c = clients.create(vertx, LinkNetOptions.clientOptions(link, servers.current(),
        identity.forwardingClientId(index), Duration.ofSeconds(5), link.retryInterval()));
      client = c;
      established = false;
      c.closeHandler(reason -> onClosed(c, reason));
      c.connect().onSuccess(ack -> {
        if (client == c) {
          established = true;
          lastError = null;
          lastAckAt = System.currentTimeMillis();
          backoff.reset();
          clientUp();
          statusChanged.accept(null);
          pump();
        }
      });
    }

    /** Milliseconds without a PUBACK while messages are in flight; 0 when nothing waits for one. */
    long stalledMillis(long now) {
      Pending oldest = inflight.peek();
      return client == null || oldest == null ? 0 : now - Math.max(lastAckAt, oldest.sentAt);
    }

    void onClosed(LinkClient c, LinkClientException reason) {
      if (client != c || stopped) {
        return;
      }
      client = null;
      lastError = reason.causeToken() + ": " + reason.getMessage();
      // unacknowledged messages go back to the front of the queue, in their order
      for (Iterator<Pending> it = inflight.descendingIterator(); it.hasNext(); ) {
        queue.addFirst(it.next());
        retried++;
      }
      inflight.clear();
      String where = servers.current().toString();
      if (!established && servers.size() > 1) {
        servers.next(); // this address did not answer: try the next one
      }
      long delay = backoff.nextDelayMillis();
      clientDown(index, where, reason.getMessage(), delay);
      statusChanged.accept(reason.getMessage());
      reconnectTimer = vertx.setTimer(delay, id -> {
        reconnectTimer = -1;
        if (!stopped && client == null) {
          connect();
        }
      });
    }

    void pump() {
      LinkClient c = client;
      long now = System.currentTimeMillis();
      while (c != null && c.isConnected() && !queue.isEmpty() && c.inflightCount() < c.window()) {
        if (!drainRate.take(now)) {
          pumpLater();
          return;
        }
        Pending p = queue.poll();
        if (p.message.isExpired(now)) {
          // its Message-Expiry-Interval ran out while it waited here: the peer would drop it, so it is not sent
          release(p);
          drop(EXPIRED);
          continue;
        }
        if (now - p.enqueuedAt > ttlMillis) {
          release(p);
          drop(TTL);
          continue;
        }
        int qos = Math.min(1, p.message.qos());
        byte[] payload = p.record != null ? p.record : LinkMessages.encode(p.message);
        if (!c.fits(msgTopic, payload, null)) {
          release(p);
          drop(TOO_LARGE);
          warnTooLarge(p, payload.length, c.maximumPacketSize());
          continue;
        }
        if (qos == 0) {
          c.publish(msgTopic, payload, 0, null);
          release(p);
          success++;
          continue;
        }
        p.sentAt = now;
        inflight.add(p);
        c.publish(msgTopic, payload, 1, null).onComplete(ar -> {
          if (ar.failed() && !c.isConnected() || client != c || !inflight.remove(p)) {
            return; // the connection dropped: onClosed puts it back in the queue
          }
          lastAckAt = System.currentTimeMillis();
          release(p);
          if (ar.succeeded() && ar.result() < 0x80) {
            success++;
          } else {
            failed++;
            if (ar.succeeded()) {
              log.warn("cluster_link_message_refused [link: {}, topic: {}, reason_code: 0x{}]", link.name(),
                p.message.topic(), Integer.toHexString(ar.result()));
            }
          }
          pump();
        });
      }
    }

    void stop() {
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
      }
      if (client != null) {
        client.close(new LinkClientException("link_stopped", -1, "link stopped"));
        client = null;
      }
    }
  }

  private static final int BUFFER_FULL = ForwardingMetrics.DROP_REASONS.indexOf("buffer_full");
  private static final int TTL = ForwardingMetrics.DROP_REASONS.indexOf("ttl");
  private static final int EXPIRED = ForwardingMetrics.DROP_REASONS.indexOf("expired");
  private static final int TOO_LARGE = ForwardingMetrics.DROP_REASONS.indexOf("too_large");

  private final Vertx vertx;
  private final LinkClient.Factory clients;
  private final LinkOptions link;
  private final LinkIdentity identity;
  private final LinkTimings timings;
  private final Worker[] workers;
  private final String msgTopic;
  private final long maxBufferBytes;
  private final long ttlMillis;
  private final boolean random;
  private final Consumer<String> statusChanged;
  private long bufferedBytes;
  private boolean stopped;
  private long matched;
  private long success;
  private long failed;
  private long retried;
  /** Messages not sent, per reason, indexed as {@link ForwardingMetrics#DROP_REASONS}; their sum is {@code dropped}. */
  private final long[] droppedBy = new long[ForwardingMetrics.DROP_REASONS.size()];
  private final LogThrottle tooLargeWarnings = new LogThrottle(LogThrottle.EVERY_MS);
  private final FailureLog failures = new FailureLog();
  /** The link's durable log, or null in {@code buffer_mode = memory_only}. */
  private final DurableLog durable;
  private final DrainRate drainRate;
  private long pumpLaterTimer = -1;
  private long replayedAfterRestart;
  private LogStats durableStats;
  private long rateTimer = -1;
  private long lastMatched;
  private double rate;
  private double rateLast5m;
  private double rateMax;

  /** @param statusChanged told a failure reason when a client goes down, null when one comes up */
  ForwardingPool(Vertx vertx, LinkClient.Factory clients, LinkOptions link, LinkIdentity identity,
                 LinkTimings timings, Consumer<String> statusChanged) {
    this(vertx, clients, link, identity, timings, statusChanged, null);
  }

  /** @param durable the link's durable log (acknowledged as the peer acknowledges), null when memory only */
  ForwardingPool(Vertx vertx, LinkClient.Factory clients, LinkOptions link, LinkIdentity identity,
                 LinkTimings timings, Consumer<String> statusChanged, DurableLog durable) {
    this.durable = durable;
    this.drainRate = new DrainRate(link.resourceOpts().drainRate());
    this.vertx = vertx;
    this.clients = clients;
    this.link = link;
    this.identity = identity;
    this.timings = timings;
    this.statusChanged = statusChanged;
    this.workers = new Worker[link.poolSize()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i + 1);
    }
    this.msgTopic = LinkTopics.msg(identity.localCluster());
    this.maxBufferBytes = link.resourceOpts().maxBufferBytes();
    this.ttlMillis = Math.min(link.resourceOpts().requestTtl().toMillis(), Long.MAX_VALUE / 2);
    this.random = "random".equals(link.resourceOpts().dispatchStrategy());
  }

  /** A client went down: the first occurrence of each reason in a failure streak is logged, repeats are counted. */
  private void clientDown(int index, String server, String reason, long delay) {
    int down = workers.length - connectedCount();
    long now = System.currentTimeMillis();
    switch (failures.failed(reason, now)) {
      case LOG -> log.warn("cluster_link_forwarding_client_disconnected [link: {}, client: {}, peer: {}, reason: {}, "
        + "reconnect_in_ms: {}, clients_down: {}]: repeats of this reason are summarised", link.name(), index, server,
        reason, delay, down);
      case SUMMARY -> log.warn("cluster_link_forwarding_still_down [link: {}, failed_attempts: {}, distinct_reasons: {}, "
        + "last_reason: {}]", link.name(), failures.failures(), failures.reasons(), reason);
      case QUIET -> log.debug("cluster_link_forwarding_client_disconnected [link: {}, client: {}, reason: {}]",
        link.name(), index, reason);
    }
  }

  /** A client (re)connected; once all are up again the streak ends with one line. */
  private void clientUp() {
    if (connectedCount() == workers.length && failures.failures() > 0) {
      log.info("cluster_link_forwarding_clients_connected [link: {}, clients: {}, after_failed_attempts: {}]",
        link.name(), workers.length, failures.recovered());
    }
  }

  private void warnTooLarge(Pending p, int bytes, long max) {
    if (tooLargeWarnings.allow("", System.currentTimeMillis())) {
      log.warn("cluster_link_message_too_large [link: {}, topic: {}, payload_bytes: {}, peer_max_packet_size: {}, "
        + "dropped_too_large: {}]: dropped, not sent", link.name(), p.message.topic(), bytes, max,
        droppedBy[TOO_LARGE]);
    }
  }

  void start() {
    for (Worker w : workers) {
      w.connect();
    }
    rateTimer = vertx.setPeriodic(RATE_SAMPLE_MS, id -> sampleRate());
  }

  private static final long RATE_SAMPLE_MS = 5_000;

  /** Matched messages per second over the last sample, a ~5 minute moving average, and the peak. */
  private void sampleRate() {
    rate = (matched - lastMatched) * 1000.0 / RATE_SAMPLE_MS;
    lastMatched = matched;
    rateLast5m += (rate - rateLast5m) * RATE_SAMPLE_MS / 300_000.0;
    rateMax = Math.max(rateMax, rate);
  }

  /** {@code drain_rate} is used up for now: every worker pumps again when the next send is allowed. */
  private void pumpLater() {
    if (pumpLaterTimer >= 0 || stopped) {
      return;
    }
    pumpLaterTimer = vertx.setTimer(drainRate.millisUntilNext(System.currentTimeMillis()), id -> {
      pumpLaterTimer = -1;
      for (Worker w : workers) {
        w.pump();
      }
    });
  }

  void stop() {
    stopped = true;
    if (rateTimer >= 0) {
      vertx.cancelTimer(rateTimer);
    }
    if (pumpLaterTimer >= 0) {
      vertx.cancelTimer(pumpLaterTimer);
    }
    for (Worker w : workers) {
      w.stop();
    }
  }

  /** Takes one local message for the peer. */
  void submit(Message message) {
    matched++;
    enqueue(message, -1, null);
  }

  /** Takes one local message that is already in the durable log. */
  void submit(StoredMessage stored) {
    matched++;
    enqueue(stored.message(), stored.seq(), stored.record());
  }

  /**
   * Queues the records a previous run left unacknowledged in the durable log, oldest first, a batch at a time while
   * the buffer has room; counted as {@code replayed_after_restart}, not as matched.
   */
  void replay(ReplayCursor cursor) {
    if (stopped) {
      return;
    }
    if (bufferedBytes > maxBufferBytes / 2) {
      vertx.setTimer(REPLAY_RETRY_MS, id -> replay(cursor));
      return;
    }
    cursor.next(REPLAY_BATCH).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("cluster_link_replay_failed [link: {}, reason: {}]", link.name(), ar.cause().toString());
        return;
      }
      if (ar.result().isEmpty()) {
        if (replayedAfterRestart > 0) {
          log.info("cluster_link_replay_done [link: {}, replayed: {}]", link.name(), replayedAfterRestart);
        }
        return;
      }
      long now = System.currentTimeMillis();
      for (LogRecord r : ar.result()) {
        MessageRecord.Decoded d;
        try {
          d = LinkMessages.decode(Buffer.buffer(r.payload()), null, now);
        } catch (RuntimeException e) {
          log.warn("cluster_link_replay_record_unreadable [link: {}, seq: {}, reason: {}]", link.name(), r.seq(), e.toString());
          durable.ack(r.seq());
          continue;
        }
        replayedAfterRestart++;
        enqueue(d.message(), r.seq(), r.payload());
      }
      replay(cursor);
    });
  }

  private static final int REPLAY_BATCH = 512;
  private static final long REPLAY_RETRY_MS = 20;

  /**
   * Takes over a pool this one replaces (a forwarding-only config change): its counters continue here and its
   * unacknowledged messages are queued again, in order, without counting them as matched twice.
   */
  void adopt(ForwardingPool old) {
    matched = old.matched;
    success = old.success;
    failed = old.failed;
    retried = old.retried;
    System.arraycopy(old.droppedBy, 0, droppedBy, 0, droppedBy.length);
    lastMatched = old.lastMatched;
    rate = old.rate;
    rateLast5m = old.rateLast5m;
    rateMax = old.rateMax;
    replayedAfterRestart = old.replayedAfterRestart;
    for (Pending p : old.drain()) {
      enqueue(p.message, p.seq, p.record);
    }
  }

  private void enqueue(Message message, long seq, byte[] record) {
    Pending p = new Pending(message, System.currentTimeMillis(), seq, record);
    if (bufferedBytes + p.bytes > maxBufferBytes) {
      drop(BUFFER_FULL);
      if (seq >= 0) {
        durable.ack(seq); // the log has it, but it would never be sent: done with it there too
      }
      return;
    }
    bufferedBytes += p.bytes;
    Worker w = random ? workers[ThreadLocalRandom.current().nextInt(workers.length)]
      : workers[Math.floorMod(message.publisherId().hashCode(), workers.length)];
    w.queue.add(p);
    if (w.queue.size() == 1) {
      w.pump();
    }
  }

  private void drop(int reason) {
    droppedBy[reason]++;
  }

  /** The message leaves the buffer (sent, acknowledged or dropped): its log record, if any, is done with too. */
  private void release(Pending p) {
    bufferedBytes -= p.bytes;
    if (p.seq >= 0 && durable != null) {
      durable.ack(p.seq);
    }
  }

  int connectedCount() {
    int n = 0;
    for (Worker w : workers) {
      if (w.client != null && w.client.isConnected()) {
        n++;
      }
    }
    return n;
  }

  int size() {
    return workers.length;
  }

  /** The longest time a connected client has waited for a PUBACK while messages are in flight; 0 if none waits. */
  long stalledMillis(long now) {
    long worst = 0;
    for (Worker w : workers) {
      worst = Math.max(worst, w.stalledMillis(now));
    }
    return worst;
  }

  /** The last failure reason of a client that is down, or null when all are up. */
  String lastError() {
    for (Worker w : workers) {
      if (w.lastError != null && (w.client == null || !w.client.isConnected())) {
        return w.lastError;
      }
    }
    return null;
  }

  ForwardingMetrics metrics() {
    long queuing = 0;
    long inflight = 0;
    for (Worker w : workers) {
      queuing += w.queue.size();
      inflight += w.inflight.size();
    }
    java.util.Map<String, Long> byReason = new java.util.LinkedHashMap<>();
    long dropped = 0;
    for (int i = 0; i < droppedBy.length; i++) {
      byReason.put(ForwardingMetrics.DROP_REASONS.get(i), droppedBy[i]);
      dropped += droppedBy[i];
    }
    return new ForwardingMetrics(matched, success, failed, dropped, retried, queuing, inflight, rate, rateLast5m,
      rateMax, byReason, replayedAfterRestart, durableStats);
  }

  /** Stops and hands back every message not yet acknowledged, in order, for the pool that replaces this one. */
  private java.util.List<Pending> drain() {
    stop();
    java.util.List<Pending> left = new java.util.ArrayList<>();
    for (Worker w : workers) {
      left.addAll(w.inflight);
      left.addAll(w.queue);
      w.inflight.clear();
      w.queue.clear();
    }
    bufferedBytes = 0;
    return left;
  }

  /** Reads the durable log's counters for the next {@link #metrics()} (at once when memory only). */
  io.vertx.core.Future<Void> refreshDurableStats() {
    if (durable == null) {
      return io.vertx.core.Future.succeededFuture();
    }
    return durable.stats().andThen(ar -> {
      if (ar.succeeded()) {
        durableStats = ar.result();
      }
    }).<Void>mapEmpty().otherwiseEmpty();
  }

  void resetMetrics() {
    matched = success = failed = retried = lastMatched = replayedAfterRestart = 0;
    java.util.Arrays.fill(droppedBy, 0);
    rate = rateLast5m = rateMax = 0;
  }
}
