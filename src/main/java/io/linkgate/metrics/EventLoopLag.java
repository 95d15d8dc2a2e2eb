package io.linkgate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop lag: a task scheduled on each Vert.x event loop every {@code interval} measures how late it ran; a
 * blocked or saturated loop (the broker's above all) shows as lag. Vert.x has no such meter of its own (its
 * blocked-thread checker only logs). Each loop's gauge is registered by its first probe, tagged with the loop's
 * thread name, which is how thread dumps and Vert.x's blocked-thread warnings name it.
 */
final class EventLoopLag {
  private final MeterRegistry registry;
  private final long intervalNanos;
  private final List<Probe> probes = new ArrayList<>();

  EventLoopLag(MeterRegistry registry, Duration interval) {
    this.registry = registry;
    this.intervalNanos = interval.toNanos();
  }

  void start(Vertx vertx) {
    if (!(vertx instanceof VertxInternal internal)) {
      return;
    }
    for (EventExecutor loop : internal.nettyEventLoopGroup()) {
      Probe p = new Probe(loop);
      probes.add(p);
      p.schedule();
    }
  }

  void stop() {
    for (Probe p : probes) {
      p.cancel();
    }
    probes.clear();
  }

  private final class Probe implements Runnable {
    private final EventExecutor loop;
    private volatile long lagNanos;
    private volatile ScheduledFuture<?> next;
    private volatile Meter gauge;
    private volatile boolean stopped;
    private long due;

    Probe(EventExecutor loop) {
      this.loop = loop;
    }

    void schedule() {
      due = System.nanoTime() + intervalNanos;
      next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      if (stopped) {
        return;
      }
      lagNanos = Math.max(0, System.nanoTime() - due);
      if (gauge == null) {
        gauge = Gauge.builder(MetricNames.EVENTLOOP_LAG, this, p -> p.lagNanos / 1e9)
          .tag(MetricNames.TAG_THREAD, Thread.currentThread().getName()).baseUnit("seconds")
          .description("How late the last probe task ran on this event loop").register(registry);
      }
      if (stopped) {
        registry.remove(gauge); // stop() ran meanwhile
      } else {
        schedule();
      }
    }

    void cancel() {
      stopped = true;
      ScheduledFuture<?> f = next;
      if (f != null) {
        f.cancel(false);
      }
      Meter g = gauge;
      if (g != null) {
        registry.remove(g);
      }
    }
  }
}
