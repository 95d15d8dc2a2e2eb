package io.linkgate.lifecycle;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the running config came from: the file to watch and to write API changes into, and the environment its
 * {@code LINKGATE__} overrides and substitutions are read from. A node started from an in-memory config (tests,
 * embedding) has no file: its changes are live only.
 */
public record ConfigSource(Path file, Map<String, String> env) {

  public static final ConfigSource NONE = new ConfigSource(null, Map.of());

  public ConfigSource {
    env = Map.copyOf(env);
  }

  public static ConfigSource of(Path file, Map<String, String> env) {
    return new ConfigSource(file, env);
  }
}
