package io.linkgate.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc} (Linux): user + system, in clock ticks (100 per second on Linux), and the
 * part spent by HotSpot's JIT compiler threads ({@code C1/C2 CompilerThre}), so a JVM's steady-state cost can be
 * told apart from its warm-up.
 */
final class ProcCpu {
  static final long TICK_MS = 10; // USER_HZ is 100 on every Linux ABI we run on

  final long totalTicks;
  final long jitTicks;

  private ProcCpu(long totalTicks, long jitTicks) {
    this.totalTicks = totalTicks;
    this.jitTicks = jitTicks;
  }

  /** Reads the process' CPU time, or null if it cannot (not Linux, process gone). */
  static ProcCpu sample(long pid) {
    try {
      long total = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
      long jit = 0;
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
        for (Path t : tasks) {
          try {
            String comm = Files.readString(t.resolve("comm")).trim();
            if (comm.contains("CompilerThre")) {
              jit += ticks(Files.readString(t.resolve("stat")));
            }
          } catch (IOException e) {
            // thread ended meanwhile
          }
        }
      }
      return new ProcCpu(total, jit);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** utime + stime of a {@code stat} line; the command name in parentheses may contain spaces. */
  static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // after "pid (comm) ": state=0, ppid=1, ..., utime=11, stime=12
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
