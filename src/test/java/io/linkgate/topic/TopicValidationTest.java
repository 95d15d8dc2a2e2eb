package io.linkgate.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tables for {@link Topics#validateFilter} and {@link Topics#validateName}; invalid cases partly from mosquitto. */
class TopicValidationTest {

  private static final String WHOLE_PLUS = "'+' must occupy a whole level";
  private static final String WHOLE_HASH = "'#' must occupy a whole level";

  static Stream<Arguments> invalidFilters() {
    return Stream.of(
        arguments("t/#/+", "'#' must be the last level"),
        arguments("t/+/#/+", "'#' must be the last level"),
        arguments("#/a", "'#' must be the last level"),
        arguments("a+", WHOLE_PLUS),
        arguments("#a", WHOLE_HASH),
        arguments("", "topic must not be empty"),
        arguments("a/\u0000", "topic must not contain U+0000"),
        arguments("a\ud800", "topic is not well-formed UTF-8"),
        arguments("\udc00/a", "topic is not well-formed UTF-8"),
        // mosquitto TEST_invalid_but_matching / TEST_invalid
        arguments("+foo", WHOLE_PLUS),
        arguments("fo+o", WHOLE_PLUS),
        arguments("foo+", WHOLE_PLUS),
        arguments("+foo/bar", WHOLE_PLUS),
        arguments("foo+/bar", WHOLE_PLUS),
        arguments("foo/+bar", WHOLE_PLUS),
        arguments("foo/bar+", WHOLE_PLUS),
        arguments("#foo", WHOLE_HASH),
        arguments("fo#o", WHOLE_HASH),
        arguments("foo#", WHOLE_HASH),
        arguments("#foo/bar", WHOLE_HASH),
        arguments("foo#/bar", WHOLE_HASH),
        arguments("foo/#bar", WHOLE_HASH),
        arguments("foo/bar#", WHOLE_HASH),
        arguments("fo#o/", WHOLE_HASH),
        arguments("foo/#a", WHOLE_HASH),
        arguments("#abc", WHOLE_HASH),
        arguments("/#a", WHOLE_HASH));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("invalidFilters")
  void invalidFilter(String filter, String message) {
    assertThat(Topics.validateFilter(filter, 0)).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"#", "+", "/", "//", "+/+", "/#", "a/#", "a/+/b", "$SYS/#", "$LINK/+", "foo//bar",
      "sport/tennis/+", "caf\u00e9/\ud83d\ude00", " ", "a b/c"})
  void validFilter(String filter) {
    assertThat(Topics.validateFilter(filter, 0)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo/+", "foo/#", "+", "#", "foo+", "foo/bar/+", "+foo/bar", "a/#/b"})
  void nameWithWildcard(String name) {
    assertThat(Topics.validateName(name, 0)).isEqualTo("wildcards '+' and '#' are not allowed in a topic name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "/", "//", "$SYS/x", "foo//bar", "a/b/", "caf\u00e9"})
  void validName(String name) {
    assertThat(Topics.validateName(name, 0)).isNull();
  }

  @Test
  void emptyAndNulCharInName() {
    assertThat(Topics.validateName("", 0)).isEqualTo("topic must not be empty");
    assertThat(Topics.validateName("a\u0000b", 0)).isEqualTo("topic must not contain U+0000");
  }

  @Test
  void tooManyLevels() {
    assertThat(Topics.validateFilter("a/b/c", 2)).isEqualTo("topic has 3 levels, more than the maximum of 2");
    assertThat(Topics.validateName("a/b/c", 2)).isEqualTo("topic has 3 levels, more than the maximum of 2");
    assertThat(Topics.validateFilter("a/b", 2)).isNull();
    assertThat(Topics.validateFilter("/".repeat(200), 0)).isNull(); // 0 = unlimited
  }

  @Test
  void lengthIsCountedInUtf8Bytes() {
    assertThat(Topics.validateName("a".repeat(65_535), 0)).isNull();
    assertThat(Topics.validateName("a".repeat(65_536), 0)).isEqualTo("topic is longer than 65535 bytes");
    // 2-byte characters: 32,768 chars are 65,536 bytes
    assertThat(Topics.validateName("\u00e9".repeat(32_767), 0)).isNull();
    assertThat(Topics.validateName("\u00e9".repeat(32_768), 0)).isEqualTo("topic is longer than 65535 bytes");
  }

  @Test
  void sharedFilters() {
    Topics.SharedFilter shared = Topics.parseShared("$share/g1/a/+/#");
    assertThat(shared).isEqualTo(new Topics.SharedFilter("g1", "a/+/#"));
    assertThat(Topics.validateShared(shared, 0)).isNull();
    assertThat(Topics.parseShared("a/b")).isNull();
    assertThat(Topics.validateShared(Topics.parseShared("$share/g1"), 0))
        .isEqualTo("shared subscription needs a topic filter after the group");
    assertThat(Topics.validateShared(Topics.parseShared("$share//a"), 0))
        .isEqualTo("shared subscription group must be non-empty and contain no wildcards");
    assertThat(Topics.validateShared(Topics.parseShared("$share/g+/a"), 0))
        .isEqualTo("shared subscription group must be non-empty and contain no wildcards");
    assertThat(Topics.validateShared(Topics.parseShared("$share/g/t/#/+"), 0)).isEqualTo("'#' must be the last level");
  }
}
