package io.linkgate.logging;

import java.util.Set;

/**
 * The values of {@code LINKGATE_LOG_FORMAT}. logback.xml includes {@code logback-<value>.xml}; an unknown value would
 * include nothing and leave the node running without a single log line, so the entry point refuses it first.
 */
public final class LogFormat {
  public static final String VARIABLE = "LINKGATE_LOG_FORMAT";
  private static final Set<String> VALUES = Set.of("text", "json");

  private LogFormat() {
  }

  /** Why {@code value} (the variable's value, null when unset) cannot be used, or null when it can. */
  public static String problem(String value) {
    if (value == null || value.isEmpty() || VALUES.contains(value)) {
      return null;
    }
    return VARIABLE + " must be text or json, got '" + value + "'";
  }
}
