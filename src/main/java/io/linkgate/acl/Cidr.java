package io.linkgate.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code ::1}; a bare address is a range of one. Only literal
 * addresses are accepted: a host name would need a DNS lookup, which must never happen on the broker thread.
 */
record Cidr(byte[] network, int prefixBits) {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  /** Parses {@code address[/bits]}; throws IllegalArgumentException with an operator-facing message. */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] address = parseLiteral(host);
    if (address == null) {
      throw new IllegalArgumentException("not an IP address: \"" + host + "\"");
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      String prefix = text.substring(slash + 1);
      if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
        throw new IllegalArgumentException("bad prefix length \"/" + prefix + "\" in \"" + text + "\"");
      }
      bits = Integer.parseInt(prefix);
    }
    return new Cidr(address, bits);
  }

  /** The bytes of a literal IPv4/IPv6 address (IPv4-mapped IPv6 becomes IPv4), or null. Never resolves names. */
  static byte[] parseLiteral(String host) {
    if (host == null || host.isEmpty() || !LITERAL.matcher(host).matches()) {
      return null;
    }
    if (host.indexOf(':') < 0 && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }
}
