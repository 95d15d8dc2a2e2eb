package io.linkgate.etf;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/erlang/etf_interop.escript once over a batch of cases (the VM takes about a second
 * to start). A missing Erlang fails the test unless LINKGATE_SKIP_ERLANG=1 is set.
 */
public final class ErlangInterop {
  private ErlangInterop() {
  }

  /**
   * One term: the bytes Java produced and an Erlang expression for the same term.
   *
   * @param name file-safe, unique in the batch
   */
  public record Case(String name, String erlangExpr, byte[] plain, byte[] compressed) {
  }

  /** Erlang's verdicts plus OTP's own encodings of the expression. */
  public record Result(String name, String decode, String decodeCompressed, boolean bytesEqual,
      byte[] otp, byte[] otpCompressed) {
  }

  public static final String SKIPPED = "LINKGATE_SKIP_ERLANG=1: Erlang interop test skipped";

  /**
   * The escript executable; null when it is missing and LINKGATE_SKIP_ERLANG=1 (each test then
   * calls {@link #assumeRan}, so the skips show in the report). Otherwise a missing Erlang fails.
   */
  public static Path escriptOrSkip() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "escript");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("1".equals(System.getenv("LINKGATE_SKIP_ERLANG"))) {
      return null;
    }
    return fail("Erlang/OTP is required for the interop tests: 'escript' is not on PATH. "
        + "Install it with 'apt-get install -y erlang-nox' (CI does), "
        + "or set LINKGATE_SKIP_ERLANG=1 to skip these tests.");
  }

  /** Marks the calling test skipped when Erlang did not run. */
  public static void assumeRan(Map<String, Result> results) {
    assumeTrue(results != null, SKIPPED);
  }

  /** Runs the batch; returns null (skip) when Erlang is missing and skipping was asked for. */
  public static Map<String, Result> run(Path dir, List<Case> cases) throws IOException,
      InterruptedException {
    Path escript = escriptOrSkip();
    if (escript == null) {
      return null;
    }
    for (Case c : cases) {
      Files.writeString(dir.resolve(c.name() + ".expr"), c.erlangExpr() + ".",
          StandardCharsets.UTF_8);
      Files.write(dir.resolve(c.name() + ".java"), c.plain());
      Files.write(dir.resolve(c.name() + ".javaz"), c.compressed());
    }
    Path script = Path.of(System.getProperty("basedir", "."),
        "src/test/erlang/etf_interop.escript");
    Process proc = new ProcessBuilder(escript.toString(), script.toString(), dir.toString())
        .redirectErrorStream(true).start();
    proc.getOutputStream().close();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      fail("escript timed out:\n" + out);
    }
    if (proc.exitValue() != 0 || !out.contains("DONE " + cases.size())) {
      fail("escript failed (exit " + proc.exitValue() + "):\n" + out);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (!line.startsWith("CASE ")) {
        continue;
      }
      String[] f = line.split(" ");
      String name = f[1];
      results.put(name, new Result(name, value(f[2]), value(f[3]),
          Boolean.parseBoolean(value(f[4])),
          Files.readAllBytes(dir.resolve(name + ".otp")),
          Files.readAllBytes(dir.resolve(name + ".otpz"))));
    }
    return results;
  }

  private static String value(String field) {
    return field.substring(field.indexOf('=') + 1);
  }
}
