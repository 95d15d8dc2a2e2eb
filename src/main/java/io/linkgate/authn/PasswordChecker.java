package io.linkgate.authn;

import io.linkgate.Sha256;
import io.linkgate.config.AuthenticationOptions.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks MQTT passwords against the {@link UserDatabase} without blocking the broker's event loop.
 *
 * <p>PBKDF2 costs tens of milliseconds by design, far too long for the event loop that serves every client. So:
 * <ul>
 *   <li>a hash is checked on a small worker pool of its own ({@code linkgate-authn}, half the cores): a flood of
 *       CONNECTs with wrong passwords then queues there and can never take the CPU the event loops need;</li>
 *   <li>successful checks are remembered (bounded LRU, {@link #CACHE_SIZE} users) as a SHA-256 of the password
 *       under a random per-process key, so a reconnect storm after an outage costs microseconds per client, not
 *       a PBKDF2 each. Failures are never cached, and an entry is only good for the hash it was checked against;</li>
 *   <li>at most {@link #MAX_PENDING} checks may wait; beyond that the CONNECT is refused as "server busy";</li>
 *   <li>an unknown user costs the same PBKDF2 as a known one, so timing does not tell which user names exist.</li>
 * </ul>
 * Passwords given in clear in the config are compared (as SHA-256 digests, in constant time) on the caller's thread.
 *
 * <p>Owner: the broker's event loop calls {@link #check} and gets its result there; the cache is touched there.
 */
public final class PasswordChecker {
  static final int CACHE_SIZE = 10_000;
  static final int MAX_PENDING = 1_000;

  private final UserDatabase users;
  private final WorkerExecutor workers;
  private final VerifiedPasswords verified = new VerifiedPasswords(CACHE_SIZE);
  private int pending;

  public PasswordChecker(Vertx vertx, UserDatabase users) {
    this.users = users;
    int poolSize = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    this.workers = vertx.createSharedWorkerExecutor("linkgate-authn", poolSize);
  }

  /**
   * True when {@code password} is the user's. Fails with {@link Busy} when too many checks are waiting.
   * Call on the broker's event loop; the future completes there.
   */
  public Future<Boolean> check(String userId, byte[] password) {
    User user = users.get(userId);
    String text = new String(password, StandardCharsets.UTF_8);
    if (user != null && user.password() != null) {
      return Future.succeededFuture(MessageDigest.isEqual(digest(user.password().getBytes(StandardCharsets.UTF_8)),
        digest(password)));
    }
    String stored = user == null ? null : user.passwordHash();
    if (user != null && verified.contains(userId, stored, password)) {
      return Future.succeededFuture(true);
    }
    if (pending >= MAX_PENDING) {
      return Future.failedFuture(new Busy());
    }
    pending++;
    return workers.executeBlocking(() -> PasswordHash.verify(text, stored == null ? PasswordHash.unknownUserHash()
      : stored), false).andThen(ar -> {
        pending--;
        if (ar.succeeded() && ar.result() && user != null) {
          verified.add(userId, stored, password);
        }
      }).map(ok -> ok && user != null);
  }

  public Future<Void> close() {
    return workers.close();
  }

  private static byte[] digest(byte[] bytes) {
    return Sha256.of(bytes);
  }

  /** Too many password checks are waiting for the worker pool. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("too many authentications in progress", null, false, false);
    }
  }
}
