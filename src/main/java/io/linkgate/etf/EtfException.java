package io.linkgate.etf;

/**
 * A term could not be decoded (malformed, truncated, over a limit, unsupported tag) or encoded
 * (unsupported Java type, out-of-range value). Unchecked: callers on the wire path catch it once
 * and drop the peer connection.
 */
public class EtfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EtfException(String message) {
    super(message);
  }

  public EtfException(String message, Throwable cause) {
    super(message, cause);
  }
}
