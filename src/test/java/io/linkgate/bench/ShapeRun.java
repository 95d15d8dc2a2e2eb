package io.linkgate.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** State shared by all clients of one shape run. Cross-thread fields are atomics or volatile. */
final class ShapeRun {

  static final int WARMUP = 0;
  static final int MEASURE = 1;
  static final int STOP = 2;

  final String shape;
  final MqttQoS qos;
  final int payload;
  final int mqtt;
  /** Deliveries expected per published message (1 for p2p, N for fan-out). */
  final int receiversPerMsg;
  /** Closed-loop window in published messages (0 when the shape is paced). */
  final int window;

  volatile int phase = WARMUP;
  /** Set when the run is being torn down: disconnects after this are expected. */
  volatile boolean closing;

  /** Published messages counted against the closed-loop window (forgiven stalls are subtracted). */
  final AtomicLong windowSent = new AtomicLong();
  /** All deliveries to subscribers, warm-up included. */
  final AtomicLong received = new AtomicLong();
  /** Deliveries of messages sent in the measured phase. */
  final AtomicLong measuredReceived = new AtomicLong();
  /** The closed-loop publisher parks on this flag when its window is full. */
  final AtomicBoolean pubWaiting = new AtomicBoolean();
  volatile BenchClient closedLoopPublisher;

  final AtomicInteger errors = new AtomicInteger();
  final AtomicReference<String> firstError = new AtomicReference<>();
  final AtomicInteger unexpectedDisconnects = new AtomicInteger();
  final AtomicInteger pingResponses = new AtomicInteger();

  ShapeRun(String shape, MqttQoS qos, int payload, int mqtt, int receiversPerMsg, int window) {
    this.shape = shape;
    this.qos = qos;
    this.payload = payload;
    this.mqtt = mqtt;
    this.receiversPerMsg = receiversPerMsg;
    this.window = window;
  }

  void error(String what) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, what);
  }

  /** Free room in the receive side of the closed-loop window, in messages. */
  long receiveRoom() {
    return window - (windowSent.get() - received.get() / receiversPerMsg);
  }

  /** Resume the publisher once half of the window is free (hysteresis keeps its batches large). */
  int resumeRoom() {
    return Math.max(1, window / 2);
  }

  /** Called by a subscriber on its event loop after each read batch. */
  void onDelivered(int deliveries, int measured) {
    received.addAndGet(deliveries);
    if (measured > 0) {
      measuredReceived.addAndGet(measured);
    }
    BenchClient p = closedLoopPublisher;
    if (p != null && pubWaiting.get() && receiveRoom() >= resumeRoom() && pubWaiting.compareAndSet(true, false)) {
      p.wake();
    }
  }
}
