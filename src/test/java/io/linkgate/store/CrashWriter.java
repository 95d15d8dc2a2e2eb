package io.linkgate.store;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The process that {@link DurableLogCrashTest} kills with SIGKILL: appends numbered records as fast as a window of
 * 500 in flight allows, acknowledges every third one, and prints {@code D <seq> <n>} once record n's append
 * completed (so a printed line means durable by the policy). Args: directory, fsync policy.
 */
public final class CrashWriter {

  private CrashWriter() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    LogOptions opts = LogOptions.defaults().withFsync(FsyncPolicy.parse(args[1]))
        .withFsyncInterval(Duration.ofMillis(20)).withSegmentBytes(64 * 1024);
    DurableLog log = LogTestSupport.open(dir, opts);
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
    Semaphore window = new Semaphore(500);
    Object lock = new Object();
    for (long n = 1; ; n++) {
      window.acquire();
      long number = n;
      log.append(LogTestSupport.payload(number, 200)).onComplete(ar -> {
        window.release();
        if (ar.succeeded()) {
          long seq = ar.result();
          synchronized (lock) {
            out.println("D " + seq + " " + number);
            out.flush();
          }
          if (number % 3 == 0) {
            log.ack(seq);
          }
        }
      });
    }
  }
}
