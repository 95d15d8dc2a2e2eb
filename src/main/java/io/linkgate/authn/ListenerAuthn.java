package io.linkgate.authn;

import io.linkgate.config.ListenerOptions;
import io.linkgate.config.ListenerOptions.AuthnMode;
import io.vertx.core.Future;

/**
 * The authentication rules of one listener, applied to each CONNECT:
 * <ol>
 *   <li>with {@code peer_cert_as_username = cn} and a verified client certificate, its CN is the username;</li>
 *   <li>{@code enable_authn = quick_deny_anonymous} refuses a client without a username (0x87 / 0x05);</li>
 *   <li>no {@code authentication} configured, or {@code enable_authn = false}: the client is admitted;</li>
 *   <li>a verified certificate named the client: admitted, no password needed (the certificate is the proof);</li>
 *   <li>no username: admitted only with {@code allow_anonymous = true}, otherwise 0x87 / 0x05;</li>
 *   <li>otherwise the password must match the user's: else 0x86 / 0x04 (also for unknown users and a missing
 *       password, so that a client cannot tell which user names exist).</li>
 * </ol>
 * Only the listener's settings live here; the user table and its {@link PasswordChecker} belong to the broker, so
 * that listener specs can be built from the config alone (at start and on reload).
 */
public final class ListenerAuthn {
  /** Default settings: authentication applies when configured, no anonymous clients then, no certificate names. */
  public static final ListenerAuthn DEFAULT = new ListenerAuthn(AuthnMode.ENABLED, false, false);

  private final AuthnMode mode;
  private final boolean allowAnonymous;
  private final boolean peerCertAsUsername;

  public ListenerAuthn(AuthnMode mode, boolean allowAnonymous, boolean peerCertAsUsername) {
    this.mode = mode;
    this.allowAnonymous = allowAnonymous;
    this.peerCertAsUsername = peerCertAsUsername;
  }

  public static ListenerAuthn of(ListenerOptions listener) {
    return new ListenerAuthn(listener.enableAuthn(), listener.allowAnonymous(), listener.peerCertIsUsername());
  }

  /**
   * Decides on a CONNECT. Completes at once unless a password hash must be checked (then on the caller's event
   * loop, after the check ran on the authentication workers).
   *
   * @param passwords the node's password checker, null when no authentication is configured
   * @param certCn CN of the client's verified certificate, null when it sent none (or the listener has no TLS)
   */
  public Future<AuthnResult> authenticate(PasswordChecker passwords, String username, byte[] password,
                                          String certCn) {
    boolean byCert = peerCertAsUsername && certCn != null;
    String name = byCert ? certCn : username;
    if (mode == AuthnMode.QUICK_DENY_ANONYMOUS && name == null) {
      return result(AuthnOutcome.NOT_AUTHORIZED, null);
    }
    if (passwords == null || mode == AuthnMode.DISABLED) {
      return result(AuthnOutcome.ANONYMOUS, name);
    }
    if (byCert) {
      return result(AuthnOutcome.SUCCESS, name);
    }
    if (name == null) {
      return result(allowAnonymous ? AuthnOutcome.ANONYMOUS : AuthnOutcome.NOT_AUTHORIZED, null);
    }
    if (password == null) {
      return result(AuthnOutcome.BAD_USERNAME_OR_PASSWORD, name);
    }
    return passwords.check(name, password).transform(ar -> {
      if (ar.failed()) {
        return result(AuthnOutcome.SERVER_BUSY, name);
      }
      return result(ar.result() ? AuthnOutcome.SUCCESS : AuthnOutcome.BAD_USERNAME_OR_PASSWORD, name);
    });
  }

  private static Future<AuthnResult> result(AuthnOutcome outcome, String username) {
    return Future.succeededFuture(new AuthnResult(outcome, username));
  }
}
