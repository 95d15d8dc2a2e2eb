package io.linkgate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, from {@code version.properties} (filled in by Maven). */
public final class Version {
  private static final String CURRENT = read();

  private Version() {
  }

  /** e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} when run from classes Maven did not build. */
  public static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
