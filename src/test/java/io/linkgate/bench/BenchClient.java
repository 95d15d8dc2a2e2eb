package io.linkgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the load generator, on raw Netty with {@link MqttEncoder}/{@link MqttDecoder}.
 * A client can subscribe (one topic, latency recording), publish (closed-loop or paced), or both. All of its
 * mutable state is confined to its channel's event loop, except what goes through {@link ShapeRun}.
 *
 * <p>Payload layout: bytes 0-7 send time ({@link System#nanoTime()}), 8-15 sequence number, 16 phase flag
 * (0 = warm-up, 1 = measured, 2 = route probe: never counted as a delivery), the rest zero.
 */
final class BenchClient extends ChannelInboundHandlerAdapter {

  static final int HEADER_BYTES = 17;
  static final int FLAG_PROBE = 2;
  private static final int MAX_BATCH = 256;
  private static final long STALL_NANOS = 2_000_000_000L;
  private static final MqttFixedHeader PUBACK_HEADER =
      new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2);

  final String clientId;
  final ShapeRun run;
  private final LoadOptions opts;
  // subscriber side
  private final String subTopic;
  private final MqttQoS subQos;
  // publisher side
  private final String pubTopic;
  private final MqttQoS pubQos;
  private final MqttFixedHeader publishHeader;
  private final MqttPublishVariableHeader qos0VarHeader;

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
  private boolean flushPending;

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
    this.subTopic = subTopic;
    this.subQos = subQos;
    this.pubTopic = pubTopic;
    this.pubQos = pubQos == null ? MqttQoS.AT_MOST_ONCE : pubQos;
    this.publishHeader = new MqttFixedHeader(MqttMessageType.PUBLISH, false, this.pubQos, false, 0);
    this.qos0VarHeader = pubTopic == null ? null
        : new MqttPublishVariableHeader(pubTopic, 0, MqttProperties.NO_PROPERTIES);
  }

  /** Starts connecting to --host/--port; {@link #ready} completes after CONNACK (and SUBACK for a subscriber). */
  ChannelFuture connect(Bootstrap base) {
    return connect(base, opts.host, opts.port);
  }

  /** Starts connecting to the given broker; {@link #ready} completes after CONNACK (and SUBACK for a subscriber). */
  ChannelFuture connect(Bootstrap base, String host, int port) {
    Bootstrap b = base.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel c) {
        c.pipeline().addLast("decoder", new MqttDecoder(1 << 20));
        c.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
        c.pipeline().addLast("client", BenchClient.this);
      }
    });
    ChannelFuture f = b.connect(host, port);
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
    MqttVersion v = opts.mqtt == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    ctx.writeAndFlush(MqttMessageBuilders.connect()
        .clientId(clientId)
        .protocolVersion(v)
        .cleanSession(true)
        .keepAlive(opts.keepAliveS)
        .build());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttPublishMessage) {
      onPublish(ctx, (MqttPublishMessage) msg);
      return;
    }
    MqttMessage m = (MqttMessage) msg;
    if (m.decoderResult() != null && m.decoderResult().isFailure()) {
      fail("decode error: " + m.decoderResult().cause());
      ctx.close();
      return;
    }
    switch (m.fixedHeader().messageType()) {
      case CONNACK:
        onConnAck(ctx, (MqttConnAckMessage) m);
        break;
      case SUBACK:
        onSubAck((MqttSubAckMessage) m);
        break;
      case PUBACK:
        acked++;
        break;
      case PINGRESP:
        if (awaitingCheckPong) {
          awaitingCheckPong = false;
          run.pingResponses.incrementAndGet();
        }
        break;
      case DISCONNECT:
        fail("broker sent DISCONNECT " + m.variableHeader());
        ctx.close();
        break;
      default:
        break;
    }
  }

  private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage m) {
    MqttConnectReturnCode rc = m.variableHeader().connectReturnCode();
    if (rc != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      fail("CONNACK " + rc);
      ctx.close();
      return;
    }
    if (opts.mqtt == 5) {
      MqttProperties.MqttProperty<?> rm = m.variableHeader().properties().getProperty(MqttProperties.RECEIVE_MAXIMUM);
      if (rm != null && rm.value() instanceof Integer) {
        inflightCap = Math.min(inflightCap, Math.max(1, (Integer) rm.value()));
      }
    }
    if (opts.keepAliveS > 0) {
      long every = Math.max(1, opts.keepAliveS / 2);
      keepAlive = ctx.channel().eventLoop().scheduleAtFixedRate(
          () -> ch.writeAndFlush(MqttMessage.PINGREQ, ch.voidPromise()), every, every, TimeUnit.SECONDS);
    }
    if (subTopic != null) {
      ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(subQos, subTopic).build());
    } else {
      ready.complete(this);
    }
  }

  private void onSubAck(MqttSubAckMessage m) {
    List<Integer> codes = m.payload().reasonCodes();
    if (codes.isEmpty() || codes.get(0) >= 0x80) {
      fail("SUBACK refused " + codes);
      ch.close();
      return;
    }
    ready.complete(this);
  }

  private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage pm) {
    try {
      long now = System.nanoTime();
      ByteBuf b = pm.payload();
      int flag = b.readableBytes() >= HEADER_BYTES ? b.getByte(b.readerIndex() + 16) : 0;
      if (flag == FLAG_PROBE) {
        probeSeen = true; // not a delivery: the closed-loop window and the counters ignore probes
      } else {
        if (flag == 1) {
          hist.recordNanos(now - b.getLong(b.readerIndex()));
          measuredReceived++;
          batchMeasured++;
          lastMeasuredRecvNanos = now;
        }
        batchDeliveries++;
      }
      if (pm.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
        ctx.write(new MqttPubAckMessage(PUBACK_HEADER, MqttMessageIdVariableHeader.from(pm.variableHeader().packetId())),
            ctx.voidPromise());
        flushPending = true;
      } else if (pm.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
        fail("unexpected QoS2 delivery");
      }
    } finally {
      pm.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
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

  private void writePublish(int flag) {
    ByteBuf p = ch.alloc().buffer(run.payload);
    p.writeLong(System.nanoTime());
    p.writeLong(seq);
    p.writeByte(flag);
    p.writeZero(run.payload - HEADER_BYTES);
    MqttPublishVariableHeader vh = pubQos == MqttQoS.AT_MOST_ONCE ? qos0VarHeader
        : new MqttPublishVariableHeader(pubTopic, (int) (seq % 65535) + 1, MqttProperties.NO_PROPERTIES);
    seq++;
    sentTotal++;
    if (flag == 1) {
      sentMeasured++;
    }
    ch.write(new MqttPublishMessage(publishHeader, vh, p), ch.voidPromise());
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
    ch.eventLoop().execute(this::pump);
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
        ch.eventLoop().execute(this::pump);
      }
      return;
    }
    int n = (int) Math.min(room, MAX_BATCH);
    int flag = run.phase == ShapeRun.MEASURE ? 1 : 0;
    for (int i = 0; i < n; i++) {
      writePublish(flag);
    }
    run.windowSent.addAndGet(n);
    ch.flush();
    // continue in a fresh task so reads (deliveries, PUBACKs) interleave with writes
    ch.eventLoop().execute(this::pump);
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
    int flag = run.phase == ShapeRun.MEASURE ? 1 : 0;
    for (long i = 0; i < n; i++) {
      writePublish(flag);
    }
    if (n > 0) {
      ch.flush();
    }
  }

  /**
   * Publishes one probe message (flag 2) if the socket is writable and, at QoS 1, the window has room. Probes
   * count in the PUBACK window (sentTotal) but not as sent or received messages. Call from any thread.
   */
  void sendProbe() {
    ch.eventLoop().execute(() -> {
      if (ch.isActive() && ch.isWritable()
          && (pubQos == MqttQoS.AT_MOST_ONCE || sentTotal - acked < inflightCap)) {
        writePublish(FLAG_PROBE);
        ch.flush();
      }
    });
  }

  /** Sends a PINGREQ whose PINGRESP counts in {@link ShapeRun#pingResponses}. */
  void checkPing() {
    ch.eventLoop().execute(() -> {
      if (ch.isActive()) {
        awaitingCheckPong = true;
        ch.writeAndFlush(MqttMessage.PINGREQ, ch.voidPromise());
      }
    });
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
    c.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
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
