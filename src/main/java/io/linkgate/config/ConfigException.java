package io.linkgate.config;

import java.util.List;

/** Thrown when configuration cannot be parsed or does not validate; carries every error found, not just the first. */
public class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<ValidationError> errors;

  public ConfigException(List<ValidationError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
  }

  public ConfigException(String path, String message) {
    this(List.of(new ValidationError(path, message)));
  }

  /** Every error: section by section, within an object in key order then unknown keys, then cross-checks. */
  public List<ValidationError> errors() {
    return errors;
  }

  private static String format(List<ValidationError> errors) {
    StringBuilder sb = new StringBuilder("invalid configuration (")
        .append(errors.size()).append(errors.size() == 1 ? " error):" : " errors):");
    for (ValidationError e : errors) {
      sb.append('\n').append(e);
    }
    return sb.toString();
  }
}
