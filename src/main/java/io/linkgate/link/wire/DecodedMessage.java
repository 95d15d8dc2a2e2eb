package io.linkgate.link.wire;

import java.util.List;
import java.util.Objects;

/**
 * A forwarded message as received, and the properties left out of it because they were not valid UTF-8
 * ({@code "User-Property"} once per dropped pair, {@code "Content-Type"}, {@code "Response-Topic"}).
 */
public record DecodedMessage(ForwardedMessage message, List<String> droppedProperties) {
  public DecodedMessage {
    Objects.requireNonNull(message, "message");
    droppedProperties = List.copyOf(droppedProperties);
  }
}
