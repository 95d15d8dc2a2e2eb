package io.linkgate.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host and a port, as parsed from a listener {@code bind} or a link {@code server}. IPv6 hosts are kept without
 * brackets ({@code "::1"}); {@link #toString()} puts them back ({@code "[::1]:1883"}).
 */
public record HostPort(String host, int port) {

  public static final int DEFAULT_MQTT_PORT = 1883;
  /** Host of a bind given as a bare port ({@code "1883"}). */
  public static final String ANY_HOST = "0.0.0.0";

  private static final Pattern HOSTNAME = Pattern.compile("[0-9A-Za-z_]([-0-9A-Za-z_.]*[0-9A-Za-z_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** True for {@code 0.0.0.0} and {@code ::}, which bind every interface. */
  public boolean isWildcard() {
    return host.equals(ANY_HOST) || host.equals("::") || host.isEmpty();
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses a listening address: {@code "1883"}, {@code "0.0.0.0:1883"}, {@code "127.0.0.1:0"} (port 0 = ephemeral),
   * {@code "[::]:1883"}.
   *
   * @throws IllegalArgumentException with an operator-facing message
   */
  public static HostPort parseBind(String text) {
    String s = text.trim();
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      return new HostPort(ANY_HOST, port(s, 0));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || (s.indexOf(':') != colon && !s.startsWith("["))) {
      throw new IllegalArgumentException(
          "expected \"port\", \"host:port\" or \"[ipv6]:port\", got \"" + text + "\"");
    }
    return new HostPort(host(s.substring(0, colon), text), port(s.substring(colon + 1), 0));
  }

  /**
   * Parses a link server: {@code host[:port]} with an optional {@code mqtt://} or {@code mqtts://} scheme (which
   * does not change the default port 1883, as in EMQX: TLS is switched on by {@code ssl.enable} alone), IPv6 in
   * brackets. Comma-separated lists are rejected.
   *
   * @throws IllegalArgumentException with an operator-facing message
   */
  public static HostPort parseServer(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (s.indexOf(',') >= 0) {
      throw new IllegalArgumentException("only one server address is supported, got a comma-separated list \""
          + text + "\"; put a load balancer in front of the peer's listeners");
    }
    int schemeEnd = s.indexOf("://");
    if (schemeEnd >= 0) {
      String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      if (!scheme.equals("mqtt") && !scheme.equals("mqtts")) {
        throw new IllegalArgumentException("unsupported scheme \"" + s.substring(0, schemeEnd)
            + "\", only mqtt:// and mqtts:// are accepted (unsupported_scheme)");
      }
      s = s.substring(schemeEnd + 3);
    }
    if (s.indexOf('/') >= 0) {
      throw new IllegalArgumentException("must be host[:port] without a path, got \"" + text + "\"");
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' after the IPv6 address in \"" + text + "\"");
      }
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        return new HostPort(host(s.substring(0, close + 1), text), DEFAULT_MQTT_PORT);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':port' after the IPv6 address in \"" + text + "\"");
      }
      return new HostPort(host(s.substring(0, close + 1), text), port(rest.substring(1), 1));
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      return new HostPort(host(s, text), DEFAULT_MQTT_PORT);
    }
    if (s.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("IPv6 addresses must be in brackets, e.g. \"[::1]:1883\", got \""
          + text + "\"");
    }
    return new HostPort(host(s.substring(0, colon), text), port(s.substring(colon + 1), 1));
  }

  private static String host(String h, String text) {
    if (h.startsWith("[") && h.endsWith("]")) {
      String v6 = h.substring(1, h.length() - 1);
      if (v6.indexOf(':') < 0 || !IPV6.matcher(v6).matches()) {
        throw new IllegalArgumentException("invalid IPv6 address \"" + v6 + "\" in \"" + text + "\"");
      }
      return v6;
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("missing host in \"" + text + "\"");
    }
    if (!HOSTNAME.matcher(h).matches()) {
      throw new IllegalArgumentException("invalid host \"" + h + "\" in \"" + text + "\"");
    }
    return h;
  }

  private static int port(String p, int min) {
    if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("invalid port \"" + p + "\"");
    }
    int port = Integer.parseInt(p);
    if (port < min || port > 65_535) {
      throw new IllegalArgumentException("port must be between " + min + " and 65535, got " + port);
    }
    return port;
  }
}
