package io.linkgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Shared helpers: parse HOCON text and collect validation errors as "path: message" strings. */
final class ConfigTestSupport {

  private ConfigTestSupport() {
  }

  static List<String> errors(String hocon) {
    List<ValidationError> errors = new ArrayList<>();
    LinkgateConfig config = LinkgateConfig.fromJson(ConfigLoader.parse(hocon, "test.conf"), "", errors);
    if (errors.isEmpty()) {
      assertThat(config).isNotNull();
    } else {
      assertThat(config).isNull();
    }
    return errors.stream().map(ValidationError::toString).toList();
  }

  static LinkgateConfig valid(String hocon) {
    return ConfigLoader.fromJson(ConfigLoader.parse(hocon, "test.conf"));
  }

  /** A config with one link whose body is {@code linkBody} (HOCON object content). */
  static String oneLink(String linkBody) {
    return "cluster { name = local, links = [ { " + linkBody + " } ] }";
  }

  static List<String> linkErrors(String linkBody) {
    return errors(oneLink(linkBody));
  }

  static LinkOptions validLink(String linkBody) {
    return valid(oneLink(linkBody)).cluster().links().get(0);
  }
}
