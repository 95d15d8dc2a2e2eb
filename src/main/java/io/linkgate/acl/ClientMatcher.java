package io.linkgate.acl;

import io.linkgate.broker.ClientInfo;

import java.util.List;
import java.util.regex.Pattern;

/** The "who" of an ACL rule: a predicate on the connecting client. Patterns are compiled once, at load. */
@FunctionalInterface
interface ClientMatcher {

  boolean matches(ClientInfo client);

  ClientMatcher ALL = client -> true;

  static ClientMatcher username(String exact) {
    return c -> exact.equals(c.username());
  }

  static ClientMatcher usernameRegex(Pattern re) {
    return c -> c.username() != null && re.matcher(c.username()).find();
  }

  static ClientMatcher clientId(String exact) {
    return c -> exact.equals(c.clientId());
  }

  static ClientMatcher clientIdRegex(Pattern re) {
    return c -> c.clientId() != null && re.matcher(c.clientId()).find();
  }

  static ClientMatcher ipAddresses(List<Cidr> ranges) {
    return c -> {
      byte[] address = Cidr.parseLiteral(c.peerHost());
      if (address == null) {
        return false;
      }
      for (Cidr r : ranges) {
        if (r.contains(address)) {
          return true;
        }
      }
      return false;
    };
  }

  static ClientMatcher and(List<ClientMatcher> all) {
    return c -> all.stream().allMatch(m -> m.matches(c));
  }

  static ClientMatcher or(List<ClientMatcher> any) {
    return c -> any.stream().anyMatch(m -> m.matches(c));
  }
}
