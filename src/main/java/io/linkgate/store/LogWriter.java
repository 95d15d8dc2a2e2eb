package io.linkgate.store;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The {@link DurableLog} implementation: a single writer thread owns the segments, the index and the counters and
 * takes commands from a queue. Everything that is queued when the thread wakes up is one batch: its frames are
 * encoded into one reused direct buffer and written together, and one fsync covers them (group commit).
 */
final class LogWriter implements DurableLog, Runnable {

  private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
  private static final int WRITE_BUFFER = 1 << 20;
  private static final int MAX_BATCH = 4096;
  private static final long ERROR_LOG_PERIOD = TimeUnit.SECONDS.toNanos(10);
  /** Under interval, a sync comes early once this much waits for it: a busy log need not hold 100 ms of traffic. */

  private final Path dir;
  private final String name;
  private final LogOptions options;
  private final long intervalNanos;
  private final long maxAgeMillis;
  private final long expiryTickNanos;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  // --- owned by the writer thread ---
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private Segment active;
  private boolean rollBeforeNextAppend;
  private long nextSeq = 1;
  private final ByteBuffer writeBuf = ByteBuffer.allocateDirect(WRITE_BUFFER);
  /** Index in {@link #active} of the first record still in {@link #writeBuf}. */
  private int bufferedFrom;
  private final ByteBuffer ackBuf = ByteBuffer.allocateDirect(Frame.HEADER);
  private final CRC32C crc = new CRC32C();
  /** Appends in {@link #writeBuf} (not yet written). */
  private final ArrayList<Append> buffered = new ArrayList<>();
  /** Appends written, waiting for their fsync. */
  private final ArrayList<Append> unsynced = new ArrayList<>();
  private long unsyncedBytes;
  private long lastErrorLog;
  private long suppressedErrors;
  private long lastSync = System.nanoTime();
  private long nextExpiryCheck;
  private long lastTimestamp;
  private volatile boolean stopped;

  private long appended;
  private long recovered;
  private long acknowledged;
  private long droppedQueueFull;
  private long droppedExpired;
  private long rejected;
  private long replayed;
  private long backlogMessages;
  private long backlogBytes;
  private long fsyncs;
  private long writeErrors;

  /** A queued append; completed (or failed) on its caller's context. */
  private static final class Append {
    final byte[] bytes;
    final ByteBuf buf;
    final int length;
    final Promise<Long> promise = Promise.promise();
    final Context context = Vertx.currentContext();
    long seq;

    Append(byte[] bytes, ByteBuf buf, int length) {
      this.bytes = bytes;
      this.buf = buf;
      this.length = length;
    }
  }

  private record Ack(long seq) {
  }

  private LogWriter(Path dir, LogOptions options) {
    this.dir = dir;
    this.name = "link=" + dir.getFileName() + ", dir=" + dir;
    this.options = options;
    this.intervalNanos = options.fsyncInterval().toNanos();
    this.maxAgeMillis = options.maxAge().toMillis();
    long tick = maxAgeMillis / 10;
    this.expiryTickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, Math.min(1000, tick)));
    this.thread = new Thread(this, "linkgate-log-" + dir.getFileName());
    this.thread.setDaemon(true);
  }

  static Future<DurableLog> open(Path dir, LogOptions options) {
    LogWriter writer = new LogWriter(dir, options);
    Context ctx = Vertx.currentContext();
    Promise<DurableLog> promise = Promise.promise();
    writer.inbox.add((Runnable) () -> {
      try {
        writer.recover();
        complete(ctx, () -> promise.complete(writer));
      } catch (IOException | RuntimeException e) {
        log.error("{}: cannot open: {}", writer.name, e.toString());
        writer.stopped = true;
        writer.closed = true;
        complete(ctx, () -> promise.fail(e));
      }
    });
    writer.thread.start();
    return promise.future();
  }

  // ------------------------------------------------------------------ API (any thread)

  @Override
  public Future<Long> append(byte[] payload) {
    return enqueue(new Append(payload, null, payload.length));
  }

  @Override
  public Future<Long> append(ByteBuf payload) {
    return enqueue(new Append(null, payload, payload.readableBytes()));
  }

  private Future<Long> enqueue(Append a) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the log of " + name + " is closed"));
    }
    inbox.add(a);
    return a.promise.future();
  }

  @Override
  public void ack(long seq) {
    if (!closed) {
      inbox.add(new Ack(seq));
    }
  }

  @Override
  public ReplayCursor replay() {
    LogCursor cursor = new LogCursor(this);
    inbox.add((Runnable) cursor::start);
    return cursor;
  }

  @Override
  public Future<LogStats> stats() {
    return call(this::snapshot);
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    Future<Void> done = call(() -> {
      shutdown();
      return null;
    });
    closed = true;
    return done;
  }

  /** Runs {@code op} on the writer thread; its result completes the future on the caller's context. */
  <T> Future<T> call(java.util.concurrent.Callable<T> op) {
    Context ctx = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("the log of " + name + " is closed"));
    }
    inbox.add((Runnable) () -> {
      try {
        T value = op.call();
        complete(ctx, () -> promise.complete(value));
      } catch (Exception e) {
        complete(ctx, () -> promise.fail(e));
      }
    });
    return promise.future();
  }

  private static void complete(Context ctx, Runnable r) {
    if (ctx == null) {
      r.run();
    } else {
      ctx.runOnContext(v -> r.run());
    }
  }

  // ------------------------------------------------------------------ writer thread

  @Override
  public void run() {
    ArrayList<Object> batch = new ArrayList<>(MAX_BATCH);
    while (!stopped) {
      try {
        Object first = inbox.poll(wakeTimeoutNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          inbox.drainTo(batch, MAX_BATCH - 1);
        }
        for (Object cmd : batch) {
          if (stopped) {
            failLater(cmd);
          } else {
            handle(cmd);
          }
        }
        batch.clear();
        if (!stopped) {
          endOfBatch();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("{}: unexpected error on the writer thread", name, e);
      }
    }
    Object cmd;
    while ((cmd = inbox.poll()) != null) {
      failLater(cmd);
    }
  }

  private void failLater(Object cmd) {
    if (cmd instanceof Append a) {
      complete(a.context, () -> a.promise.fail(new IllegalStateException("the log of " + name + " is closed")));
    } else if (cmd instanceof Runnable r) {
      r.run();
    }
  }

  private long wakeTimeoutNanos() {
    long now = System.nanoTime();
    long wake = now + TimeUnit.SECONDS.toNanos(1);
    if (hasDirtySegments() && options.fsync() != FsyncPolicy.NEVER) {
      wake = Math.min(wake, lastSync + intervalNanos);
    }
    if (maxAgeMillis > 0 && backlogMessages > 0) {
      wake = Math.min(wake, nextExpiryCheck);
    }
    return Math.max(0, wake - now);
  }

  private void handle(Object cmd) {
    if (cmd instanceof Append a) {
      onAppend(a);
    } else if (cmd instanceof Ack ack) {
      onAck(ack.seq);
    } else {
      flushQuietly();
      ((Runnable) cmd).run();
    }
  }

  private void endOfBatch() {
    flushQuietly();
    long now = System.nanoTime();
    switch (options.fsync()) {
      case ALWAYS -> {
        if (!unsynced.isEmpty() || (hasDirtySegments() && now - lastSync >= intervalNanos)) {
          sync();
        }
      }
      case INTERVAL -> {
        // written is enough to survive a process crash: complete now, fsync once per interval for power loss
        unsyncedBytes = 0;
        completeAll(unsynced);
        if (hasDirtySegments() && now - lastSync >= intervalNanos) {
          sync();
        }
      }
      case NEVER -> {
        unsyncedBytes = 0;
        completeAll(unsynced);
      }
    }
    if (maxAgeMillis > 0 && now >= nextExpiryCheck) {
      nextExpiryCheck = now + expiryTickNanos;
      expire();
    }
  }

  private void onAppend(Append a) {
    int frame = Frame.HEADER + a.length;
    if (frame > options.segmentBytes() || a.length > options.maxBytes()) {
      rejected++;
      fail(a, new LogFullException("record of " + a.length + " bytes is larger than the segment size or the "
          + "byte bound of the log of " + name));
      return;
    }
    if (backlogBytes + a.length > options.maxBytes()) {
      if (options.overflow() == OverflowPolicy.REJECT_NEW) {
        rejected++;
        fail(a, new LogFullException("the log of " + name + " is full (" + backlogBytes + " of " + options.maxBytes()
            + " bytes)"));
        return;
      }
      while (backlogBytes + a.length > options.maxBytes() && backlogMessages > 0) {
        if (!dropOldest(false)) {
          break;
        }
      }
    }
    try {
      if (rollBeforeNextAppend || (active.size + frame > options.segmentBytes() && active.count() > 0)) {
        flush();
        roll();
      }
      if (writeBuf.remaining() < frame) {
        flush();
      }
    } catch (IOException e) {
      writeFailed(e, 1);
      writeErrors++;
      fail(a, e);
      return;
    }
    long ts = Math.max(lastTimestamp, System.currentTimeMillis());
    lastTimestamp = ts;
    a.seq = nextSeq++;
    if (frame <= writeBuf.capacity()) {
      encode(writeBuf, a, ts);
    } else {
      ByteBuffer big = ByteBuffer.allocate(frame);
      encode(big, a, ts);
      big.flip();
      try {
        writeAt(active, big, active.written);
        active.written += frame;
        active.dirty = true;
        bufferedFrom = active.count() + 1;
      } catch (IOException e) {
        nextSeq--;
        writeFailed(e, 1);
        writeErrors++;
        fail(a, e);
        return;
      }
    }
    active.size += frame;
    active.add(a.length, ts);
    appended++;
    backlogMessages++;
    backlogBytes += a.length;
    if (frame <= writeBuf.capacity()) {
      buffered.add(a);
    } else {
      becameWritten(a);
    }
  }

  private void encode(ByteBuffer buf, Append a, long ts) {
    int start = buf.position();
    Frame.putHeader(buf, Frame.DATA, a.seq, ts, a.length);
    if (a.bytes != null) {
      buf.put(a.bytes);
    } else {
      int end = buf.position() + a.length;
      ByteBuffer dst = buf.duplicate();
      dst.limit(end);
      a.buf.getBytes(a.buf.readerIndex(), dst);
      buf.position(end);
    }
    Frame.sealCrc(buf, start, crc);
  }

  private void becameWritten(Append a) {
    unsynced.add(a);
    unsyncedBytes += Frame.HEADER + a.length;
  }

  private void onAck(long seq) {
    Map.Entry<Long, Segment> e = segments.floorEntry(seq);
    if (e == null || !e.getValue().contains(seq)) {
      return;
    }
    Segment seg = e.getValue();
    if (seg.isAcked(seq)) {
      return;
    }
    if (seg == active && seq - seg.base >= bufferedFrom) {
      flushQuietly(); // an ack cannot overtake its record on disk
    }
    markAcked(seg, seq);
    acknowledged++;
  }

  /** Acknowledges {@code seq} in memory and appends its ACK frame; deletes the segment once it is fully acked. */
  private void markAcked(Segment seg, long seq) {
    int len = seg.markAcked(seq);
    backlogMessages--;
    backlogBytes -= len;
    long ts = System.currentTimeMillis();
    try {
      if (seg == active) {
        if (writeBuf.remaining() < Frame.HEADER) {
          flush();
        }
        int start = writeBuf.position();
        Frame.putHeader(writeBuf, Frame.ACK, seq, ts, 0);
        Frame.sealCrc(writeBuf, start, crc);
        active.size += Frame.HEADER;
      } else if (seg.fullyAcked()) {
        deleteSegment(seg);
      } else {
        ackBuf.clear();
        Frame.putHeader(ackBuf, Frame.ACK, seq, ts, 0);
        Frame.sealCrc(ackBuf, 0, crc);
        ackBuf.flip();
        writeAt(seg, ackBuf, seg.size);
        seg.size += Frame.HEADER;
        seg.written = seg.size;
        seg.dirty = true;
      }
    } catch (IOException e) {
      // the ack stands in memory; at worst the record is replayed once after a restart
      writeErrors++;
      logError("{}: cannot write the acknowledgement of record {}: {}", name, seq, e.toString());
    }
  }

  private void deleteSegment(Segment seg) throws IOException {
    segments.remove(seg.base);
    seg.close();
    Files.deleteIfExists(seg.file);
    log.debug("{}: deleted fully acknowledged segment {}", name, seg.file.getFileName());
  }

  /** Drops the oldest unacknowledged record; false if there is none. */
  private boolean dropOldest(boolean expired) {
    for (Segment seg : segments.values()) {
      long seq = seg.oldestUnacked();
      if (seq < 0) {
        continue;
      }
      if (expired && System.currentTimeMillis() - seg.timestampOf(seq) <= maxAgeMillis) {
        return false;
      }
      if (seg == active && seq - seg.base >= bufferedFrom) {
        flushQuietly();
      }
      markAcked(seg, seq);
      if (expired) {
        droppedExpired++;
      } else {
        droppedQueueFull++;
      }
      return true;
    }
    return false;
  }

  private void expire() {
    int dropped = 0;
    while (backlogMessages > 0 && dropOldest(true)) {
      dropped++;
    }
    if (dropped > 0) {
      log.debug("{}: dropped {} records older than {} ms", name, dropped, maxAgeMillis);
    }
  }

  /** Writes the buffered frames of the active segment; on failure, forgets them and fails their appends. */
  private void flush() throws IOException {
    if (writeBuf.position() == 0) {
      return;
    }
    writeBuf.flip();
    try {
      writeAt(active, writeBuf, active.written);
    } catch (IOException e) {
      writeBuf.clear();
      throw e;
    }
    writeBuf.clear();
    active.written = active.size;
    active.dirty = true;
    bufferedFrom = active.count();
    for (Append a : buffered) {
      becameWritten(a);
    }
    buffered.clear();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException e) {
      writeErrors++;
      writeFailed(e, 0);
    }
  }

  /**
   * A write into the active segment failed (typically a full disk): forgets the buffered records, cuts the file back
   * to its last whole frame and fails their appends. The log stays usable; if the file cannot be cut, the next
   * append starts a new segment (recovery ignores the stale frames, which are out of sequence).
   */
  private void writeFailed(IOException e, int alsoFailed) {
    int lost = buffered.size() + alsoFailed;
    // logged before the appends fail: whoever sees a failed append finds its reason in the log already
    logError("{}: write failed ({}); {} appends failed, the log continues with segment {}", name,
        e.toString(), lost, active.file.getFileName());
    long keptSize = active.written;
    active.truncateIndex(bufferedFrom);
    active.size = keptSize;
    nextSeq = active.nextSeq();
    for (Append a : buffered) {
      appended--;
      backlogMessages--;
      backlogBytes -= a.length;
      fail(a, e);
    }
    buffered.clear();
    writeBuf.clear();
    try {
      active.channel.truncate(keptSize);
    } catch (IOException te) {
      rollBeforeNextAppend = true;
    }
  }

  /** ERROR lines for I/O failures, at most one per 10 s (a full disk fails every batch), with the count skipped. */
  private void logError(String format, Object... args) {
    long now = System.nanoTime();
    if (lastErrorLog != 0 && now - lastErrorLog < ERROR_LOG_PERIOD) {
      suppressedErrors++;
      log.debug(format, args);
      return;
    }
    if (suppressedErrors > 0) {
      log.error("{}: {} more I/O errors in the last 10 s (see the DEBUG log)", name, suppressedErrors);
      suppressedErrors = 0;
    }
    lastErrorLog = now;
    log.error(format, args);
  }

  private static void writeAt(Segment seg, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      p += seg.channel.write(buf, p);
    }
  }

  private void roll() throws IOException {
    Segment old = active;
    if (old.count() == 0) {
      // only after a failed cut: the new segment has the same base and replaces this file (created truncated)
      segments.remove(old.base);
      old.close();
    }
    active = createSegment(nextSeq);
    rollBeforeNextAppend = false;
    bufferedFrom = 0;
    if (old.count() > 0 && old.fullyAcked()) {
      deleteSegment(old);
    }
  }

  private Segment createSegment(long base) throws IOException {
    Path file = dir.resolve(Segment.fileName(base));
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    Segment seg = new Segment(base, file, ch, 0);
    segments.put(base, seg);
    if (options.fsync() != FsyncPolicy.NEVER) {
      syncDirectory(); // the new file's name must survive a power loss with the records in it
      fsyncs++;
    }
    return seg;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private boolean hasDirtySegments() {
    for (Segment s : segments.values()) {
      if (s.dirty) {
        return true;
      }
    }
    return false;
  }

  /** One fsync per dirty segment (normally just the active one) covers every written append; then completes them. */
  private void sync() {
    try {
      for (Segment s : segments.values()) {
        if (s.dirty) {
          s.channel.force(false);
          s.dirty = false;
          fsyncs++;
        }
      }
      lastSync = System.nanoTime();
      unsyncedBytes = 0;
      completeAll(unsynced);
    } catch (IOException e) {
      writeErrors++;
      lastSync = System.nanoTime(); // retry after an interval, not in a loop
      logError("{}: fsync failed ({}); {} appends failed (their records stay in the backlog and may be "
          + "replayed)", name, e.toString(), unsynced.size());
      for (Append a : unsynced) {
        fail(a, e);
      }
      unsynced.clear();
      unsyncedBytes = 0;
    }
  }

  /** Completes {@code appends} with one context hop per run of appends from the same context. */
  private static void completeAll(ArrayList<Append> appends) {
    int i = 0;
    int n = appends.size();
    while (i < n) {
      Context ctx = appends.get(i).context;
      int j = i + 1;
      while (j < n && appends.get(j).context == ctx) {
        j++;
      }
      if (ctx == null) {
        for (int k = i; k < j; k++) {
          Append a = appends.get(k);
          a.promise.complete(a.seq);
        }
      } else {
        List<Append> run = new ArrayList<>(appends.subList(i, j));
        ctx.runOnContext(v -> {
          for (Append a : run) {
            a.promise.complete(a.seq);
          }
        });
      }
      i = j;
    }
    appends.clear();
  }

  private static void fail(Append a, Throwable e) {
    complete(a.context, () -> a.promise.fail(e));
  }

  private LogStats snapshot() {
    long oldestAge = 0;
    for (Segment seg : segments.values()) {
      long seq = seg.oldestUnacked();
      if (seq >= 0) {
        oldestAge = Math.max(0, System.currentTimeMillis() - seg.timestampOf(seq));
        break;
      }
    }
    return new LogStats(appended, recovered, acknowledged, droppedQueueFull, droppedExpired, rejected, replayed,
        backlogMessages, backlogBytes, oldestAge, segments.size(), fsyncs, writeErrors);
  }

  private void shutdown() {
    flushQuietly();
    if (options.fsync() != FsyncPolicy.NEVER) {
      sync();
    } else {
      completeAll(unsynced);
    }
    for (Segment s : segments.values()) {
      s.close();
    }
    stopped = true;
    closed = true;
  }

  // ------------------------------------------------------------------ recovery

  private void recover() throws IOException {
    Files.createDirectories(dir);
    TreeMap<Long, Path> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.forEach(p -> {
        long base = Segment.baseOf(p.getFileName().toString());
        if (base >= 0) {
          files.put(base, p);
        }
      });
    }
    long truncated = 0;
    for (Map.Entry<Long, Path> f : files.entrySet()) {
      Long higher = files.higherKey(f.getKey());
      SegmentRecovery.Outcome out = SegmentRecovery.recover(f.getValue(), f.getKey(),
          higher == null ? Long.MAX_VALUE : higher, (int) options.segmentBytes(), name);
      truncated += out.truncatedBytes();
      segments.put(f.getKey(), out.segment());
    }
    // fully acknowledged segments (whose deletion was lost) go; the last one stays to carry on the numbering
    Long last = segments.isEmpty() ? null : segments.lastKey();
    for (Segment seg : new ArrayList<>(segments.values())) {
      if (seg.fullyAcked() && !Long.valueOf(seg.base).equals(last)) {
        deleteSegment(seg);
      } else {
        backlogMessages += seg.unacked();
      }
    }
    if (last == null) {
      active = createSegment(1);
    } else {
      active = segments.get(last);
      for (Segment seg : segments.values()) {
        if (seg.count() > 0) {
          lastTimestamp = Math.max(lastTimestamp, seg.timestampOf(seg.nextSeq() - 1));
        }
      }
    }
    nextSeq = active.nextSeq();
    bufferedFrom = active.count();
    recovered = backlogMessages;
    appended = backlogMessages;
    backlogBytes = 0;
    for (Segment seg : segments.values()) {
      for (long s = seg.base; s < seg.nextSeq(); s++) {
        if (!seg.isAcked(s)) {
          backlogBytes += seg.lengthOf(s);
        }
      }
    }
    log.info("{}: opened, {} segments, {} unacknowledged records ({} bytes), next seq {}{}", name,
        segments.size(), backlogMessages, backlogBytes, nextSeq,
        truncated > 0 ? ", " + truncated + " bytes of torn tail cut" : "");
  }

  // ------------------------------------------------------------------ for the replay cursor (writer thread)

  TreeMap<Long, Segment> segments() {
    return segments;
  }

  long nextSeq() {
    return nextSeq;
  }

  void countReplayed(int n) {
    replayed += n;
  }
}
