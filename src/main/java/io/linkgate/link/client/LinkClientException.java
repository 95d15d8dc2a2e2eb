package io.linkgate.link.client;

/**
 * Why a link connection failed or closed, in the words EMQX uses for link status and alarms
 * ({@code broker_connect_refused}, {@code broker_disconnect}, {@code socket_error}, ...).
 */
public final class LinkClientException extends RuntimeException {
  private final String cause;
  private final int reasonCode;

  public LinkClientException(String cause, int reasonCode, String message) {
    super(message);
    this.cause = cause;
    this.reasonCode = reasonCode;
  }

  /** A short stable token: {@code broker_connect_refused}, {@code broker_connect_timeout}, ... */
  public String causeToken() {
    return cause;
  }

  /** The MQTT reason code involved, or -1. */
  public int reasonCode() {
    return reasonCode;
  }
}
