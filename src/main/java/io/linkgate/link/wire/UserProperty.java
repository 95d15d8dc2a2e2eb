package io.linkgate.link.wire;

import java.util.Objects;

/** One MQTT 5 User-Property; names may repeat and order matters. */
public record UserProperty(String name, String value) {
  public UserProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
