package io.linkgate.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogFormatTest {
  @Test
  void unsetTextAndJsonAreAccepted() {
    assertNull(LogFormat.problem(null));
    assertNull(LogFormat.problem(""));
    assertNull(LogFormat.problem("text"));
    assertNull(LogFormat.problem("json"));
  }

  @Test
  void anyOtherValueIsNamedWithTheVariable() {
    assertEquals("LINKGATE_LOG_FORMAT must be text or json, got 'JSON'", LogFormat.problem("JSON"));
    assertEquals("LINKGATE_LOG_FORMAT must be text or json, got 'xml'", LogFormat.problem("xml"));
  }
}
