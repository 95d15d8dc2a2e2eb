package io.linkgate.link.wire;

/**
 * A {@code $LINK} payload is not valid ETF or does not have the expected shape. The receiver of a
 * route op treats this as a protocol error and disconnects the peer so it restarts cleanly.
 */
public class LinkPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkPayloadException(String message) {
    super(message);
  }

  public LinkPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
