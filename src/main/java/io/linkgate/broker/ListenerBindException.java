package io.linkgate.broker;

/** A listener could not be opened; names it by its config path so that a reload can report it there. */
public final class ListenerBindException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final String listenerId;

  public ListenerBindException(String listenerId, String message, Throwable cause) {
    super(message, cause);
    this.listenerId = listenerId;
  }

  /** {@code listeners.tcp.default.bind} for listener {@code tcp:default}. */
  public String configPath() {
    return "listeners." + listenerId.replace(':', '.') + ".bind";
  }
}
