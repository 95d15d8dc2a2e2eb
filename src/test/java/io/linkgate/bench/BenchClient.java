package io.linkgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the load generator, on raw Netty. A client can subscribe (one topic, latency recording),
 * publish (closed-loop or paced), or both. All of its mutable state is confined to its channel's event loop,
 * except what goes through {@link ShapeRun}.
 *
 * <p>The message path allocates nothing per message, so the generator's own GC and JIT stay out of the
 * percentiles it reports: PUBLISH frames are copied from a pre-encoded {@link PublishFrame} into pooled buffers
 * (many frames per buffer), inbound frames are parsed in place by a {@link FrameReader}, and PUBACKs are 4 raw
 * bytes gathered into one buffer per read. The tasks the loop re-schedules are created once.
 *
 * <p>Payload layout: bytes 0-7 send time ({@link System#nanoTime()}), 8-15 sequence number, 16 phase flag
 * (0 = warm-up, 1 = measured, 2 = route probe: never counted as a delivery), the rest zero.
 */
final class BenchClient extends ChannelInboundHandlerAdapter implements FrameReader.Sink {

  static final int HEADER_BYTES = 17;
  static final int FLAG_PROBE = 2;
  static final int MAX_FRAME_BYTES = 1 << 20;
  private static final int MAX_BATCH = 256;
  /** Bytes of PUBLISH frames per output buffer (at least one frame). */
  private static final int WRITE_CHUNK_BYTES = 16 * 1024;
  private static final int ACK_BUFFER_BYTES = 1024;
  private static final long STALL_NANOS = 2_000_000_000L;

  final String clientId;
  final ShapeRun run;
  private final LoadOptions opts;
  private final boolean v5;
  // subscriber side
  private final String subTopic;
  private final MqttQoS subQos;
  // publisher side
  private final MqttQoS pubQos;
  private final PublishFrame publishFrame;
  private final FrameReader reader;
  private final Runnable pumpTask = this::pump;
  private final Runnable probeTask = this::probeOnLoop;
  private final Runnable pingTask = this::pingOnLoop;

  final CompletableFuture<BenchClient> ready = new CompletableFuture<>();
  volatile Channel ch;
  /** A probe message (flag 2) reached this subscriber. */
  volatile boolean probeSeen;

  // ---- event-loop confined state ----
  final LatencyHistogram hist = new LatencyHistogram();
  long measuredReceived;
  long lastMeasuredRecvNanos;
  private int batchDeliveries;
  private int batchMeasured;
  /** PUBACKs of the current read, written at its end. */
  private ByteBuf acks;

  long seq;
  long sentTotal;
  long sentMeasured;
  long acked;
  long throttled;
  long stalls;
  private int inflightCap = 60_000;
  private boolean parkedOnWritability;
  private ScheduledFuture<?> pacer;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> keepAlive;
  private double rate;
  private long pacedStart;
  private long pacedCount;
  private long lastWatchdogReceived = -1;
  private long lastProgressNanos = System.nanoTime();
  private boolean awaitingCheckPong;

  BenchClient(String clientId, ShapeRun run, LoadOptions opts, String subTopic, MqttQoS subQos, String pubTopic,
      MqttQoS pubQos) {
    this.clientId = clientId;
    this.run = run;
    this.opts = opts;
    this.v5 = opts.mqtt == 5;
    this.subTopic = subTopic;
    this.subQos = subQos;
    this.pubQos = pubQos == null ? MqttQoS.AT_MOST_ONCE : pubQos;
    this.publishFrame = pubTopic == null ? null : new PublishFrame(pubTopic, this.pubQos.value(), run.payload, v5);
    this.reader = new FrameReader(v5, MAX_FRAME_BYTES, this);
  }

  /** Starts connecting to --host/--port; {@link #ready} completes after CONNACK (and SUBACK for a subscriber). */
  ChannelFuture connect(Bootstrap base) {
    return connect(base, opts.host, opts.port);
  }

  /** Starts connecting to the given broker; {@link #ready} completes after CONNACK (and SUBACK for a subscriber). */
  ChannelFuture connect(Bootstrap base, String host, int port) {
    ChannelFuture f = base.clone().handler(this).connect(host, port);
    ch = f.channel();
    f.addListener((ChannelFutureListener) cf -> {
      if (!cf.isSuccess()) {
        ready.completeExceptionally(cf.cause());
      }
    });
    return f;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ch = ctx.channel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(MqttFrames.connect(ctx.alloc(), clientId, v5 ? 5 : 4, opts.keepAliveS), ctx.voidPromise());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      reader.read(ctx.alloc(), (ByteBuf) msg);
    } catch (CorruptedFrameException e) {
      fail("decode error: " + e.getMessage());
      ctx.close();
    }
  }

  @Override
  public void onPacket(int type, int flags, ByteBuf buf, int body, int length) {
    switch (type) {
      case MqttFrames.CONNACK:
        onConnAck(buf, body, length);
        break;
      case MqttFrames.SUBACK:
        onSubAck(buf, body, length);
        break;
      case MqttFrames.PUBACK:
        acked++;
        if (v5 && MqttFrames.pubackReason(buf, body, length) >= 0x80) {
          fail("PUBACK reason 0x" + Integer.toHexString(MqttFrames.pubackReason(buf, body, length)));
        }
        break;
      case MqttFrames.PINGRESP:
        if (awaitingCheckPong) {
          awaitingCheckPong = false;
          run.pingResponses.incrementAndGet();
        }
        break;
      case MqttFrames.DISCONNECT:
        fail("broker sent DISCONNECT" + (length > 0 ? " reason 0x" + Integer.toHexString(buf.getUnsignedByte(body)) : ""));
        ch.close();
        break;
      default:
        break;
    }
  }

  private void onConnAck(ByteBuf buf, int body, int length) {
    int rc = MqttFrames.connackCode(buf, body, length);
    if (rc != 0) {
      fail("CONNACK code 0x" + Integer.toHexString(rc));
      ch.close();
      return;
    }
    if (v5) {
      int rm = MqttFrames.receiveMaximum(buf, body, length);
      if (rm > 0) {
        inflightCap = Math.min(inflightCap, rm);
      }
    }
    if (opts.keepAliveS > 0) {
      long every = Math.max(1, opts.keepAliveS / 2);
      keepAlive = ch.eventLoop().scheduleAtFixedRate(
          () -> ch.writeAndFlush(MqttFrames.pingreq(ch.alloc()), ch.voidPromise()), every, every, TimeUnit.SECONDS);
    }
    if (subTopic != null) {
      ch.writeAndFlush(MqttFrames.subscribe(ch.alloc(), 1, subTopic, subQos.value(), v5), ch.voidPromise());
    } else {
      ready.complete(this);
    }
  }

  private void onSubAck(ByteBuf buf, int body, int length) {
    int code = MqttFrames.subackCode(buf, body, length, v5);
    if (code < 0 || code >= 0x80) {
      fail("SUBACK refused (code " + code + ")");
      ch.close();
      return;
    }
    ready.complete(this);
  }

  @Override
  public void onPublish(int qos, int packetId, ByteBuf b, int payload, int length) {
    long now = System.nanoTime();
    int flag = length >= HEADER_BYTES ? b.getByte(payload + PublishFrame.FLAG) : 0;
    if (flag == FLAG_PROBE) {
      probeSeen = true; // not a delivery: the closed-loop window and the counters ignore probes
    } else {
      if (flag == 1) {
        hist.recordNanos(now - b.getLong(payload + PublishFrame.SEND_NANOS));
        measuredReceived++;
        batchMeasured++;
        lastMeasuredRecvNanos = now;
      }
      batchDeliveries++;
    }
    if (qos == 1) {
      if (acks == null) {
        acks = ch.alloc().directBuffer(ACK_BUFFER_BYTES);
      }
      MqttFrames.writePuback(acks, packetId);
      if (acks.writableBytes() < MqttFrames.PUBACK_BYTES) {
        ch.write(acks, ch.voidPromise());
        acks = null;
      }
    } else if (qos == 2) {
      fail("unexpected QoS2 delivery");
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (acks != null) {
      ctx.writeAndFlush(acks, ctx.voidPromise());
      acks = null;
    }
    if (batchDeliveries > 0) {
      int d = batchDeliveries;
      int m = batchMeasured;
      batchDeliveries = 0;
      batchMeasured = 0;
      run.onDelivered(d, m);
    }
    // a PUBACK may have opened the QoS1 window of a parked closed-loop publisher
    if (run.closedLoopPublisher == this && run.pubWaiting.get() && room() >= resumeThreshold()
        && run.pubWaiting.compareAndSet(true, false)) {
      pump();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && parkedOnWritability) {
      parkedOnWritability = false;
      pump();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimers();
    reader.release();
    if (acks != null) {
      acks.release();
      acks = null;
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("connection closed during handshake"));
    } else if (!run.closing) {
      run.unexpectedDisconnects.incrementAndGet();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    ctx.close();
  }

  private void fail(String what) {
    run.error(clientId + " " + what);
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException(what));
    }
  }

  private void cancelTimers() {
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {pacer, watchdog, keepAlive}) {
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  // ---------------------------------------------------------------- publishing

  /** Writes {@code n} PUBLISH frames (not flushed), several per pooled buffer. */
  private void writePublishes(long n, int flag) {
    int frame = publishFrame.length();
    int perBuffer = Math.max(1, WRITE_CHUNK_BYTES / frame);
    while (n > 0) {
      int k = (int) Math.min(n, perBuffer);
      ByteBuf out = ch.alloc().directBuffer(k * frame);
      for (int i = 0; i < k; i++) {
        publishFrame.write(out, (int) (seq % 65535) + 1, System.nanoTime(), seq, flag);
        seq++;
      }
      sentTotal += k;
      if (flag == 1) {
        sentMeasured += k;
      }
      ch.write(out, ch.voidPromise());
      n -= k;
    }
  }

  /** Room in both windows (receive side and, for QoS1, unacknowledged PUBLISHes). */
  private long room() {
    long r = run.receiveRoom();
    if (pubQos != MqttQoS.AT_MOST_ONCE) {
      r = Math.min(r, inflightCap - (sentTotal - acked));
    }
    return r;
  }

  /** Room needed to resume after parking: half the window, or half the PUBACK window (MQTT 5 Receive Maximum). */
  private long resumeThreshold() {
    long t = run.resumeRoom();
    if (pubQos != MqttQoS.AT_MOST_ONCE) {
      t = Math.min(t, Math.max(1, inflightCap / 2));
    }
    return t;
  }

  /** Closed loop: becomes the run's publisher, starts pumping and a stall watchdog. Call on the event loop. */
  void startClosedLoop() {
    run.closedLoopPublisher = this;
    watchdog = ch.eventLoop().scheduleAtFixedRate(this::watchdogTick, 100, 100, TimeUnit.MILLISECONDS);
    pump();
  }

  /** Called from another event loop to resume a parked publisher. */
  void wake() {
    ch.eventLoop().execute(pumpTask);
  }

  void pump() {
    if (run.phase == ShapeRun.STOP || !ch.isActive()) {
      return;
    }
    if (!ch.isWritable()) {
      parkedOnWritability = true;
      return;
    }
    long room = room();
    if (room <= 0) {
      run.pubWaiting.set(true);
      // re-check after publishing the flag so a concurrent delivery cannot be missed
      if (room() >= resumeThreshold() && run.pubWaiting.compareAndSet(true, false)) {
        ch.eventLoop().execute(pumpTask);
      }
      return;
    }
    int n = (int) Math.min(room, MAX_BATCH);
    writePublishes(n, run.phase == ShapeRun.MEASURE ? 1 : 0);
    run.windowSent.addAndGet(n);
    ch.flush();
    // continue in a fresh task so reads (deliveries, PUBACKs) interleave with writes
    ch.eventLoop().execute(pumpTask);
  }

  /**
   * If the window stays full with no delivery at all for {@link #STALL_NANOS} (QoS0 messages the broker dropped,
   * or PUBACKs that never came), forgive the outstanding messages so the closed loop cannot dead-lock; counted
   * in {@code stalls}. Time-based, because a late fixed-rate task runs several times back to back.
   */
  private void watchdogTick() {
    if (run.phase == ShapeRun.STOP) {
      watchdog.cancel(false);
      return;
    }
    long now = System.nanoTime();
    long rcv = run.received.get();
    if (!run.pubWaiting.get() || rcv != lastWatchdogReceived) {
      lastWatchdogReceived = rcv;
      lastProgressNanos = now;
      return;
    }
    if (now - lastProgressNanos >= STALL_NANOS) {
      lastProgressNanos = now;
      stalls++;
      long outstanding = run.windowSent.get() - rcv / run.receiversPerMsg;
      run.windowSent.addAndGet(-outstanding);
      acked = sentTotal;
      if (run.pubWaiting.compareAndSet(true, false)) {
        pump();
      }
    }
  }

  /** Paced: publish {@code msgsPerSecond}, checking every {@code tickNanos}. Call on the event loop. */
  void startPaced(double msgsPerSecond, long tickNanos, long initialDelayNanos) {
    rate = msgsPerSecond;
    pacedStart = System.nanoTime() + initialDelayNanos;
    pacer = ch.eventLoop().scheduleAtFixedRate(this::tick, initialDelayNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    if (run.phase == ShapeRun.STOP) {
      pacer.cancel(false);
      return;
    }
    if (!ch.isActive()) {
      return;
    }
    long now = System.nanoTime();
    long due = (long) ((now - pacedStart) * rate / 1e9) + 1 - pacedCount;
    if (due <= 0) {
      return;
    }
    long maxBurst = Math.max(100, (long) (rate / 10));
    long n = Math.min(due, maxBurst);
    if (!ch.isWritable()) {
      n = 0;
    } else if (pubQos != MqttQoS.AT_MOST_ONCE) {
      n = Math.max(0, Math.min(n, inflightCap - (sentTotal - acked)));
    }
    // what cannot go out now is skipped, not queued: the schedule stays open-loop and the skip is reported
    if (run.phase == ShapeRun.MEASURE) {
      throttled += due - n;
    }
    pacedCount += due;
    if (n > 0) {
      writePublishes(n, run.phase == ShapeRun.MEASURE ? 1 : 0);
      ch.flush();
    }
  }

  /**
   * Publishes one probe message (flag 2) if the socket is writable and, at QoS 1, the window has room. Probes
   * count in the PUBACK window (sentTotal) but not as sent or received messages. Call from any thread.
   */
  void sendProbe() {
    ch.eventLoop().execute(probeTask);
  }

  private void probeOnLoop() {
    if (ch.isActive() && ch.isWritable() && (pubQos == MqttQoS.AT_MOST_ONCE || sentTotal - acked < inflightCap)) {
      writePublishes(1, FLAG_PROBE);
      ch.flush();
    }
  }

  /** Sends a PINGREQ whose PINGRESP counts in {@link ShapeRun#pingResponses}. */
  void checkPing() {
    ch.eventLoop().execute(pingTask);
  }

  private void pingOnLoop() {
    if (ch.isActive()) {
      awaitingCheckPong = true;
      ch.writeAndFlush(MqttFrames.pingreq(ch.alloc()), ch.voidPromise());
    }
  }

  /** Sends DISCONNECT and closes. */
  ChannelFuture disconnect() {
    Channel c = ch;
    if (c == null) {
      return null;
    }
    if (!c.isActive()) {
      return c.close();
    }
    c.writeAndFlush(MqttFrames.disconnect(c.alloc())).addListener(ChannelFutureListener.CLOSE);
    return c.closeFuture();
  }

  /** Runs {@code task} on this client's event loop (its counters belong to that thread) and waits for it. */
  <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    ch.eventLoop().execute(() -> {
      try {
        f.complete(task.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
