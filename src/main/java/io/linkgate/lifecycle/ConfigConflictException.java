package io.linkgate.lifecycle;

/**
 * The config file on disk is not the version Linkgate runs (edited, not yet or not successfully reloaded): an API
 * change would overwrite the operator's edit, so it is refused (HTTP 409) instead.
 */
public final class ConfigConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigConflictException(String message) {
    super(message);
  }
}
