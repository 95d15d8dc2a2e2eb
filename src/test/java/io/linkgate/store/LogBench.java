package io.linkgate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Append-to-durable benchmark of {@link DurableLog}: the {@link ClosedLoopBench} load, each record acknowledged
 * once durable (steady state: segments are rolled and deleted). Prints appends/s, the p50/p99/max latency from
 * append to durable and the fsyncs made. Run by {@code scripts/bench/log-bench.sh}.
 * Args: policy (always|interval|never) seconds window size directory [fsyncIntervalMs].
 */
public final class LogBench {

  private LogBench() {
  }

  public static void main(String[] args) throws Exception {
    ClosedLoopBench.Args a = ClosedLoopBench.Args.parse(args, "linkgate-log-");
    FsyncPolicy policy = FsyncPolicy.parse(a.policy());
    LogOptions opts = LogOptions.defaults().withFsync(policy).withFsyncInterval(Duration.ofMillis(a.intervalMs()))
        .withSegmentBytes(64L << 20);
    DurableLog log = LogTestSupport.open(a.dir(), opts);
    long[] startFsyncs = {0};
    ClosedLoopBench.Result result = ClosedLoopBench.run(a, (payload, durable, failed) ->
        log.append(payload).onComplete(ar -> {
          if (ar.succeeded()) {
            log.ack(ar.result());
            durable.run();
          } else {
            failed.run();
          }
        }), () -> startFsyncs[0] = LogTestSupport.await(log.stats()).fsyncs());
    LogStats stats = LogTestSupport.await(log.stats());
    System.out.printf("engine=linkgate-store %s %s fsyncs=%d appends=%d%n",
        a.settings(policy.name().toLowerCase(), a.intervalMs()), result.figures(), stats.fsyncs() - startFsyncs[0],
        result.appends());
    LogTestSupport.await(log.close());
    try (var files = Files.list(a.dir())) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(a.dir());
  }
}
