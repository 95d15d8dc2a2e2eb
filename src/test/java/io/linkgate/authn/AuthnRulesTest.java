package io.linkgate.authn;

import io.linkgate.config.AuthenticationOptions.User;
import io.linkgate.config.ListenerOptions.AuthnMode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-listener decision table of {@link ListenerAuthn} and the password checker, without sockets. */
class AuthnRulesTest {
  static Vertx vertx;
  static Context loop;
  static PasswordChecker passwords;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    passwords = new PasswordChecker(vertx, new UserDatabase(List.of(
      new User("alice", null, PasswordHash.hash("alice-pw", 1000)),
      new User("bob", "bob-pw", null))));
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  /** Runs on an event-loop context, as the broker does, and waits for the outcome. */
  private static <T> T onLoop(Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    loop.runOnContext(v -> call.get().onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private static AuthnResult auth(ListenerAuthn rules, String user, String password, String cn) throws Exception {
    return auth(rules, passwords, user, password, cn);
  }

  private static AuthnResult auth(ListenerAuthn rules, PasswordChecker checker, String user, String password,
                                  String cn) throws Exception {
    byte[] pw = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    return onLoop(() -> rules.authenticate(checker, user, pw, cn));
  }

  @Test
  void decisionTable() throws Exception {
    ListenerAuthn strict = ListenerAuthn.DEFAULT;
    ListenerAuthn guests = new ListenerAuthn(AuthnMode.ENABLED, true, false);
    ListenerAuthn byCert = new ListenerAuthn(AuthnMode.ENABLED, false, true);
    ListenerAuthn off = new ListenerAuthn(AuthnMode.DISABLED, false, true);
    ListenerAuthn quickDeny = new ListenerAuthn(AuthnMode.QUICK_DENY_ANONYMOUS, true, false);

    assertThat(auth(strict, "alice", "alice-pw", null)).isEqualTo(new AuthnResult(AuthnOutcome.SUCCESS, "alice"));
    assertThat(auth(strict, "bob", "bob-pw", null).outcome()).isEqualTo(AuthnOutcome.SUCCESS);
    assertThat(auth(strict, "bob", "bob-PW", null).outcome()).isEqualTo(AuthnOutcome.BAD_USERNAME_OR_PASSWORD);
    assertThat(auth(strict, "alice", null, null).outcome()).isEqualTo(AuthnOutcome.BAD_USERNAME_OR_PASSWORD);
    assertThat(auth(strict, "eve", "alice-pw", null).outcome()).isEqualTo(AuthnOutcome.BAD_USERNAME_OR_PASSWORD);
    assertThat(auth(strict, null, null, null).outcome()).isEqualTo(AuthnOutcome.NOT_AUTHORIZED);
    assertThat(auth(strict, null, null, "device-1").outcome()).as("CN ignored without peer_cert_as_username")
      .isEqualTo(AuthnOutcome.NOT_AUTHORIZED);
    assertThat(auth(guests, null, null, null)).isEqualTo(new AuthnResult(AuthnOutcome.ANONYMOUS, null));
    assertThat(auth(guests, "alice", "nope", null).outcome()).isEqualTo(AuthnOutcome.BAD_USERNAME_OR_PASSWORD);
    assertThat(auth(byCert, "claimed", null, "device-1")).isEqualTo(new AuthnResult(AuthnOutcome.SUCCESS, "device-1"));
    assertThat(auth(byCert, "alice", "alice-pw", null).outcome()).as("no certificate: password as usual")
      .isEqualTo(AuthnOutcome.SUCCESS);
    assertThat(auth(off, "alice", "wrong", null)).isEqualTo(new AuthnResult(AuthnOutcome.ANONYMOUS, "alice"));
    assertThat(auth(off, null, null, "device-1")).isEqualTo(new AuthnResult(AuthnOutcome.ANONYMOUS, "device-1"));
    assertThat(auth(quickDeny, null, null, null, null).outcome()).isEqualTo(AuthnOutcome.NOT_AUTHORIZED);
    assertThat(auth(quickDeny, null, "anyone", null, null).outcome()).as("no authentication configured")
      .isEqualTo(AuthnOutcome.ANONYMOUS);
    assertThat(auth(strict, null, null, null, null).outcome()).as("no authentication configured")
      .isEqualTo(AuthnOutcome.ANONYMOUS);
  }

  @Test
  void aVerifiedPasswordIsRememberedButOnlyForThatPassword() throws Exception {
    byte[] right = "alice-pw".getBytes(StandardCharsets.UTF_8);
    assertThat(onLoop(() -> passwords.check("alice", right))).isTrue();
    Future<Boolean>[] again = new Future[1];
    onLoop(() -> {
      again[0] = passwords.check("alice", right);
      return Future.succeededFuture(null);
    });
    assertThat(again[0].isComplete()).as("answered from the cache, without the worker pool").isTrue();
    assertThat(again[0].result()).isTrue();
    assertThat(onLoop(() -> passwords.check("alice", "alice-pw2".getBytes(StandardCharsets.UTF_8)))).isFalse();
  }

  @Test
  void hashesRoundTripAndMalformedOnesAreRefused() {
    String h = PasswordHash.hash("p", 1000);
    assertThat(PasswordHash.checkFormat(h)).isNull();
    assertThat(PasswordHash.verify("p", h)).isTrue();
    assertThat(PasswordHash.verify("q", h)).isFalse();
    assertThat(PasswordHash.verify("p", "pbkdf2-sha256$10$AAAA$AAAA")).as("too few iterations").isFalse();
    assertThat(PasswordHash.checkFormat("md5$abc")).isNotNull();
  }
}
