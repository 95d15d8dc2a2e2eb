package io.linkgate.authn;

/** How authentication of one CONNECT ended; {@link #tag} is the metric label value, so keep it stable. */
public enum AuthnOutcome {
  /** credentials checked: a password matched, or a verified client certificate named the client */
  SUCCESS("success", true),
  /** admitted without checking anything: no authentication configured, disabled on the listener, or anonymous allowed */
  ANONYMOUS("anonymous", true),
  /** unknown user, wrong or missing password: CONNACK 0x86 (MQTT 5) / 0x04 (3.1.1) */
  BAD_USERNAME_OR_PASSWORD("bad_username_or_password", false),
  /** no credentials where they are required: CONNACK 0x87 (MQTT 5) / 0x05 (3.1.1) */
  NOT_AUTHORIZED("not_authorized", false),
  /** too many password checks waiting: CONNACK 0x89 (MQTT 5) / 0x03 (3.1.1) */
  SERVER_BUSY("server_busy", false);

  public final String tag;
  public final boolean admitted;

  AuthnOutcome(String tag, boolean admitted) {
    this.tag = tag;
    this.admitted = admitted;
  }
}
