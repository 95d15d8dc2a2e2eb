package io.linkgate;

import io.linkgate.authn.PasswordHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar linkgate.jar hash-password}, as an operator runs it: password on stdin, hash on stdout. */
class HashPasswordJarIT {

  @Test
  void printsAHashOfThePasswordReadFromStdin() throws Exception {
    Process p = new ProcessBuilder("java", "-Xmx128m", "-jar", JarLaunchIT.jar(), "hash-password", "--iterations",
      "2000").start();
    p.getOutputStream().write("correct horse\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).isZero();
    assertThat(out).startsWith("pbkdf2-sha256$2000$").doesNotContain("correct horse");
    assertThat(PasswordHash.verify("correct horse", out)).isTrue();
  }

  @Test
  void refusesAPasswordOnTheCommandLine() throws Exception {
    Process p = new ProcessBuilder("java", "-Xmx128m", "-jar", JarLaunchIT.jar(), "hash-password", "secret")
      .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(64);
  }
}
