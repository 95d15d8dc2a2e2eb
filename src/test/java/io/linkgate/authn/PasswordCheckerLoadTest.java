package io.linkgate.authn;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password checker is loaded on the gateway's event loop at start-up: loading it must cost no PBKDF2 (the
 * stand-in hash for unknown users is made by the first worker that needs it).
 */
class PasswordCheckerLoadTest {
  @Test
  void loadingTheCheckerCostsNoPasswordHash() throws Exception {
    URL classes = PasswordChecker.class.getProtectionDomain().getCodeSource().getLocation();
    URL vertxCore = Vertx.class.getProtectionDomain().getCodeSource().getLocation();
    // loaded afresh in a class loader of their own, whatever other tests of this JVM loaded before
    try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes, vertxCore},
      ClassLoader.getPlatformClassLoader())) {
      long start = System.nanoTime();
      Class.forName(PasswordChecker.class.getName(), true, fresh);
      long load = System.nanoTime() - start;

      Class<?> hash = Class.forName(PasswordHash.class.getName(), true, fresh);
      start = System.nanoTime();
      hash.getMethod("hash", String.class).invoke(null, "one PBKDF2 for scale");
      long oneHash = System.nanoTime() - start;
      assertThat(load).as("nanoseconds to load the checker, against %d for one password hash", oneHash)
        .isLessThan(oneHash / 2);
    }
  }
}
