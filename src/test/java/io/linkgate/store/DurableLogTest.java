package io.linkgate.store;

import ch.qos.logback.classic.Level;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.linkgate.store.LogTestSupport.await;
import static io.linkgate.store.LogTestSupport.open;
import static io.linkgate.store.LogTestSupport.payload;
import static io.linkgate.store.LogTestSupport.replayAll;
import static io.linkgate.store.LogTestSupport.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class DurableLogTest {

  @TempDir
  Path dir;

  private static final LogOptions FAST = LogOptions.defaults().withFsyncInterval(Duration.ofMillis(5));

  @Test
  void appendAckReplayAcrossCloseAndReopen() throws Exception {
    DurableLog log = open(dir, FAST);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seqs.add(await(log.append(payload(i, 200))));
    }
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    log.ack(3);
    log.ack(1);
    log.ack(7);
    await(log.close());

    DurableLog reopened = open(dir, FAST);
    List<LogRecord> replay = replayAll(reopened);
    assertThat(seqs(replay)).containsExactly(2L, 4L, 5L, 6L, 8L, 9L, 10L);
    assertThat(replay.get(0).payload()).isEqualTo(payload(1, 200));
    LogStats stats = await(reopened.stats());
    assertThat(stats.recovered()).isEqualTo(7);
    assertThat(stats.replayed()).isEqualTo(7);
    assertThat(stats.addsUp()).isTrue();
    // numbering carries on after a restart
    assertThat(await(reopened.append(Unpooled.wrappedBuffer(payload(99, 50))))).isEqualTo(11L);
    await(reopened.close());
  }

  @Test
  void cursorSkipsRecordsAcknowledgedWhileItMovesAndStopsAtItsStart() throws Exception {
    DurableLog log = open(dir, FAST.withSegmentBytes(4096));
    for (int i = 1; i <= 40; i++) {
      await(log.append(payload(i, 200)));
    }
    ReplayCursor cursor = log.replay();
    assertThat(seqs(await(cursor.next(3)))).containsExactly(1L, 2L, 3L);
    for (long s = 4; s <= 36; s++) {
      log.ack(s); // 18 records a segment: the second one (19..36) is deleted under the cursor
    }
    await(log.append(payload(41, 200))); // after the cursor was made: not its business
    List<Long> rest = new ArrayList<>();
    List<LogRecord> batch;
    while (!(batch = await(cursor.next(4))).isEmpty()) {
      rest.addAll(seqs(batch));
    }
    assertThat(rest).containsExactly(37L, 38L, 39L, 40L);
    assertThat(await(log.stats()).segments()).isEqualTo(2);
    await(log.close());
  }

  @Test
  void tornTailIsCutWithTheRestReplayed() throws Exception {
    DurableLog log = open(dir, FAST);
    for (int i = 0; i < 5; i++) {
      await(log.append(payload(i, 200)));
    }
    await(log.close());
    Path seg = onlySegment();
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 7);
    }
    DurableLog reopened;
    try (LogCapture capture = new LogCapture(SegmentRecovery.class)) {
      reopened = open(dir, FAST);
      assertThat(capture.lines(Level.WARN)).singleElement().asString()
          .contains("truncating " + (Frame.HEADER + 200 - 7) + " bytes of torn tail");
    }
    assertThat(seqs(replayAll(reopened))).containsExactly(1L, 2L, 3L, 4L);
    assertThat(Files.size(seg)).isEqualTo(4L * (Frame.HEADER + 200));
    // the next record goes where the torn one was, and the log reads back whole
    assertThat(await(reopened.append(payload(5, 200)))).isEqualTo(5L);
    await(reopened.close());
    DurableLog again = open(dir, FAST);
    assertThat(seqs(replayAll(again))).containsExactly(1L, 2L, 3L, 4L, 5L);
    await(again.close());
  }

  @Test
  void corruptLastRecordIsCutByItsChecksum() throws Exception {
    DurableLog log = open(dir, FAST);
    for (int i = 0; i < 3; i++) {
      await(log.append(payload(i, 100)));
    }
    await(log.close());
    Path seg = onlySegment();
    byte[] bytes = Files.readAllBytes(seg);
    bytes[bytes.length - 10] ^= 0x55; // a flipped payload byte of record 3
    Files.write(seg, bytes);
    DurableLog reopened = open(dir, FAST);
    assertThat(seqs(replayAll(reopened))).containsExactly(1L, 2L);
    await(reopened.close());
  }

  @Test
  void segmentsRollAndAreDeletedWhenFullyAckedInAnyOrder() throws Exception {
    LogOptions opts = FAST.withSegmentBytes(4096);
    DurableLog log = open(dir, opts);
    int perSegment = 4096 / (Frame.HEADER + 200); // 18
    int n = perSegment * 4;
    for (int i = 0; i < n; i++) {
      await(log.append(payload(i, 200)));
    }
    assertThat(segmentFiles()).hasSize(4);
    // acknowledge the second segment backwards, leaving the first one untouched: only the second goes
    for (long s = 2L * perSegment; s > perSegment; s--) {
      log.ack(s);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles().size() == 3);
    assertThat(segmentFiles()).doesNotContain(dir.resolve(Segment.fileName(perSegment + 1)));
    // the acknowledgements of a segment that stays survive a restart: half of the first one
    for (long s = 1; s <= perSegment / 2; s++) {
      log.ack(s);
    }
    await(log.close());
    DurableLog reopened = open(dir, opts);
    List<Long> expected = new ArrayList<>();
    LongStream.rangeClosed(perSegment / 2 + 1, perSegment).forEach(expected::add);
    LongStream.rangeClosed(2L * perSegment + 1, n).forEach(expected::add);
    assertThat(seqs(replayAll(reopened))).isEqualTo(expected);
    assertThat(await(reopened.stats()).segments()).isEqualTo(3);
    await(reopened.close());
  }

  @Test
  void dropOldestMakesRoomAndCountsQueueFull() throws Exception {
    DurableLog log = open(dir, FAST.withMaxBytes(1000).withOverflow(OverflowPolicy.DROP_OLDEST));
    for (int i = 0; i < 8; i++) {
      await(log.append(payload(i, 200)));
    }
    LogStats stats = await(log.stats());
    assertThat(stats.backlogBytes()).isEqualTo(1000);
    assertThat(stats.droppedQueueFull()).isEqualTo(3);
    assertThat(stats.addsUp()).isTrue();
    assertThat(seqs(replayAll(log))).containsExactly(4L, 5L, 6L, 7L, 8L);
    await(log.close());
    DurableLog reopened = open(dir, FAST);
    assertThat(seqs(replayAll(reopened))).containsExactly(4L, 5L, 6L, 7L, 8L); // drops are durable too
    await(reopened.close());
  }

  @Test
  void rejectNewFailsTheAppendAndKeepsTheBacklog() throws Exception {
    DurableLog log = open(dir, FAST.withMaxBytes(1000).withOverflow(OverflowPolicy.REJECT_NEW));
    for (int i = 0; i < 5; i++) {
      await(log.append(payload(i, 200)));
    }
    assertThatThrownBy(() -> await(log.append(payload(5, 1)))).hasCauseInstanceOf(LogFullException.class);
    log.ack(2);
    assertThat(await(log.append(payload(6, 200)))).isEqualTo(6L);
    LogStats stats = await(log.stats());
    assertThat(stats.rejected()).isEqualTo(1);
    assertThat(stats.appended()).isEqualTo(6);
    assertThat(stats.addsUp()).isTrue();
    assertThat(seqs(replayAll(log))).containsExactly(1L, 3L, 4L, 5L, 6L);
    await(log.close());
  }

  @Test
  void recordsOlderThanMaxAgeExpire() throws Exception {
    DurableLog log = open(dir, FAST.withMaxAge(Duration.ofMillis(300)));
    await(log.append(payload(1, 10)));
    await(log.append(payload(2, 10)));
    await().atMost(Duration.ofSeconds(20)).until(() -> await(log.stats()).droppedExpired() == 2);
    long fresh = await(log.append(payload(3, 10)));
    LogStats stats = await(log.stats());
    assertThat(stats.backlogMessages()).isEqualTo(1);
    assertThat(stats.addsUp()).isTrue();
    assertThat(seqs(replayAll(log))).containsExactly(fresh);
    await(log.close());
  }

  @Test
  void countersAddUpUnderRandomTraffic() throws Exception {
    Random rnd = new Random(16);
    LogOptions opts = FAST.withSegmentBytes(8192).withMaxBytes(20_000);
    DurableLog log = open(dir, opts);
    List<Long> live = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<Future<Long>> pending = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        pending.add(log.append(payload(i, 1 + rnd.nextInt(400))));
      }
      for (Future<Long> f : pending) {
        live.add(await(f));
      }
      for (int i = 0; i < 150; i++) {
        log.ack(live.remove(rnd.nextInt(live.size())));
      }
      LogStats stats = await(log.stats());
      assertThat(stats.addsUp()).as("%s", stats).isTrue();
      assertThat(stats.backlogBytes()).isLessThanOrEqualTo(20_000);
      assertThat(stats.droppedQueueFull()).isPositive();
      await(log.close());
      log = open(dir, opts);
      LogStats reopened = await(log.stats());
      assertThat(reopened.addsUp()).isTrue();
      assertThat(reopened.backlogMessages()).isEqualTo(stats.backlogMessages());
      assertThat(reopened.backlogBytes()).isEqualTo(stats.backlogBytes());
    }
    await(log.close());
  }

  @Test
  void alwaysGroupsConcurrentAppendsIntoFewFsyncs() throws Exception {
    assertFewFsyncs(LogOptions.defaults().withFsync(FsyncPolicy.ALWAYS));
  }

  @Test
  void intervalGroupsAppendsOfOneWindowIntoOneFsync() throws Exception {
    assertFewFsyncs(LogOptions.defaults().withFsync(FsyncPolicy.INTERVAL).withFsyncInterval(Duration.ofMillis(50)));
  }

  private void assertFewFsyncs(LogOptions opts) throws Exception {
    DurableLog log = open(dir, opts);
    long before = await(log.stats()).fsyncs();
    int n = 2000;
    List<Future<Long>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(log.append(payload(i, 200)));
    }
    for (Future<Long> f : pending) {
      await(f);
    }
    // interval completes appends after write and fsyncs within the interval: wait (bounded) for that fsync
    io.linkgate.testutil.Await.until("an fsync", Duration.ofSeconds(5), () -> await(log.stats()).fsyncs() > before);
    long fsyncs = await(log.stats()).fsyncs() - before;
    assertThat(fsyncs).as("fsyncs for %s concurrent appends", n).isPositive().isLessThan(n / 20);
    await(log.close());
  }

  @Test
  void neverCompletesWithoutFsync() throws Exception {
    DurableLog log = open(dir, LogOptions.defaults().withFsync(FsyncPolicy.NEVER));
    for (int i = 0; i < 100; i++) {
      await(log.append(payload(i, 200)));
    }
    assertThat(await(log.stats()).fsyncs()).isZero();
    await(log.close());
  }

  @Test
  void recordsLargerThanTheWriteBufferRoundTrip() throws Exception {
    LogOptions opts = FAST.withSegmentBytes(8L << 20);
    DurableLog log = open(dir, opts);
    byte[] big = payload(7, 3 << 20);
    assertThat(await(log.append(payload(1, 100)))).isEqualTo(1L);
    assertThat(await(log.append(big))).isEqualTo(2L);
    assertThat(await(log.append(payload(3, 100)))).isEqualTo(3L);
    await(log.close());
    DurableLog reopened = open(dir, opts);
    List<LogRecord> replay = replayAll(reopened);
    assertThat(seqs(replay)).containsExactly(1L, 2L, 3L);
    assertThat(replay.get(1).payload()).isEqualTo(big);
    await(reopened.close());
  }

  @Test
  void oversizedRecordIsRefusedAndLosesNothing() throws Exception {
    DurableLog log = open(dir, FAST.withSegmentBytes(4096));
    await(log.append(payload(1, 10)));
    assertThatThrownBy(() -> await(log.append(new byte[5000]))).hasCauseInstanceOf(LogFullException.class);
    assertThat(seqs(replayAll(log))).containsExactly(1L);
    await(log.close());
  }

  @Test
  void futuresCompleteOnTheCallersEventLoop() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context ctx = vertx.getOrCreateContext();
      CompletableFuture<String> where = new CompletableFuture<>();
      ctx.runOnContext(v -> DurableLog.open(dir, FAST).onComplete(opened -> {
        DurableLog log = opened.result();
        boolean openedHere = Vertx.currentContext() == ctx;
        log.append(payload(1, 200)).onComplete(ar -> {
          where.complete(openedHere + " " + (Vertx.currentContext() == ctx) + " " + Context.isOnEventLoopThread()
              + " " + ar.result());
          log.close();
        });
      }));
      assertThat(where.get(30, TimeUnit.SECONDS)).isEqualTo("true true true 1");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void optionsRejectBadValues() {
    assertThatThrownBy(() -> LogOptions.defaults().withFsyncInterval(Duration.ZERO))
        .hasMessageContaining("fsync_interval");
    assertThatThrownBy(() -> LogOptions.defaults().withMaxBytes(0)).hasMessageContaining("max_buffer_bytes");
    assertThatThrownBy(() -> FsyncPolicy.parse("sometimes")).hasMessageContaining("always, interval or never");
    assertThat(OverflowPolicy.parse("reject_new")).isEqualTo(OverflowPolicy.REJECT_NEW);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  private Path onlySegment() throws IOException {
    List<Path> files = segmentFiles();
    assertThat(files).hasSize(1);
    return files.get(0);
  }
}
