package io.linkgate.broker.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * An external program under test control: stdout is read line by line into a queue, stderr is kept for failure
 * messages. Always closed by the test (SIGKILL if still running), so no client outlives it.
 */
final class ExternalProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> allLines = Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer stderr = new StringBuffer();
  private final Thread outReader;
  private final Thread errReader;

  private ExternalProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    outReader = pump(process.getInputStream(), line -> {
      allLines.add(line);
      lines.add(line);
    });
    errReader = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'));
  }

  /** The absolute path of {@code tool} on the PATH; fails the test (never skips) when it is missing. */
  static String require(String tool, String installHint) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(tool + " not found on PATH: " + installHint);
  }

  static ExternalProcess start(Path workDir, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    return new ExternalProcess(String.join(" ", command), pb.start());
  }

  static ExternalProcess start(List<String> command) throws IOException {
    return start(Path.of("."), command);
  }

  private Thread pump(java.io.InputStream stream, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
    }, "external-" + process.pid());
    t.setDaemon(true);
    t.start();
    return t;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Writes to the program's standard input and closes it. */
  void stdin(String text) throws IOException {
    try (var in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The next stdout line, or null when none came within the timeout. */
  String nextLine(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Exactly the next {@code n} stdout lines; fails with the program's output when they do not come in time. */
  List<String> nextLines(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> got = new ArrayList<>();
    while (got.size() < n) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        fail("%s: expected %d output lines within %s, got %s%s", name, n, timeout, got, diagnostics());
      }
      got.add(line);
    }
    return got;
  }

  /** Lines printed so far that no nextLine call has taken. */
  List<String> drain() {
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    return rest;
  }

  /** Waits for the program to exit by itself and returns its exit code; fails (and kills it) on timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      String diag = diagnostics();
      close();
      fail("%s did not exit within %s%s", name, timeout, diag);
    }
    outReader.join(2000);
    errReader.join(2000);
    return process.exitValue();
  }

  /** SIGKILL: the program gets no chance to say goodbye (no MQTT DISCONNECT). */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** SIGTERM: mosquitto clients disconnect cleanly on it. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      kill();
    }
  }

  String stderr() {
    return stderr.toString();
  }

  String diagnostics() {
    return "\n  command: " + name + "\n  stdout: " + allLines + "\n  stderr: " + stderr
      + (process.isAlive() ? "\n  (still running)" : "\n  exit code: " + process.exitValue());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
