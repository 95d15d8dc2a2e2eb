package io.linkgate.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node script whose stdout lines the test reads as they come (so it can check the server between steps); stderr
 * goes to a file kept next to the screenshots. Killed on close if still running, so no browser outlives the test.
 */
final class ScriptProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private final Process process;
  private final Path stderrFile;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ScriptProcess(Process process, Path stderrFile) {
    this.process = process;
    this.stderrFile = stderrFile;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
      lines.add(EOF);
    }, "script-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static ScriptProcess start(Path workDir, Path stderrFile, String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(workDir.toFile())
      .redirectError(ProcessBuilder.Redirect.to(stderrFile.toFile())).start();
    return new ScriptProcess(p, stderrFile);
  }

  /** The next stdout line, or null at the end of the output; fails when none comes within the timeout. */
  String nextLine(int timeoutSeconds) throws InterruptedException {
    String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no output from the script within " + timeoutSeconds + " s; stderr: " + stderr());
    }
    return line.equals(EOF) ? null : line;
  }

  int awaitExit(int timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the script did not exit within " + timeoutSeconds + " s; stderr: " + stderr());
    }
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(stderrFile);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      // the whole tree: node and the Chromium it launched
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
