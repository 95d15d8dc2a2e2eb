package io.linkgate.alarm;

import java.util.Map;

/**
 * One alarm occurrence, as EMQX shows them: a stable name (one active alarm per name), a readable message and
 * details.
 *
 * @param deactivatedAt epoch millis, 0 while active
 */
public record Alarm(String name, String message, Map<String, String> details, long activatedAt, long deactivatedAt) {

  public boolean active() {
    return deactivatedAt == 0;
  }
}
