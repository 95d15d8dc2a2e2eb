package io.linkgate.config;

import java.util.Objects;

/**
 * One problem found while loading or validating configuration.
 *
 * @param path where the problem is, in config notation ({@code cluster.links[0].topics[2]}); for syntax errors
 *     {@code <file>:<line>}, for environment overrides the variable name
 * @param message what is wrong, written for an operator
 */
public record ValidationError(String path, String message) {

  public ValidationError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
