package io.linkgate.acl;

import io.linkgate.broker.ClientInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The rules of one ACL file, in order: the first rule that matches decides. Immutable; two rule lists are equal when
 * their source text is (compiled regexes have no useful equality), which is what config comparison needs.
 */
public final class AclRules {
  /** The rules used when the config has no {@code authorization.sources}; the same text as conf/acl.conf. */
  public static final String DEFAULT_RESOURCE = "default-acl.conf";

  /** The outcome of a check. */
  public enum Decision { ALLOW, DENY, NO_MATCH }

  private final List<AclRule> rules;
  private final String text;

  AclRules(List<AclRule> rules, String text) {
    this.rules = List.copyOf(rules);
    this.text = text;
  }

  /** The built-in default rules (see conf/acl.conf). */
  public static AclRules defaults() {
    try (InputStream in = AclRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      String text = new String(Objects.requireNonNull(in, DEFAULT_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
      return AclParser.parse(text, "built-in " + DEFAULT_RESOURCE);
    } catch (IOException | AclSyntaxException e) {
      throw new IllegalStateException("built-in ACL rules do not load", e);
    }
  }

  public int size() {
    return rules.size();
  }

  /**
   * @param topic the topic name, or the filter without its {@code $share/<group>/} prefix
   */
  Decision check(ClientInfo client, AclAction.Request request, String topic) {
    for (AclRule r : rules) {
      if (r.matches(client, request, topic)) {
        return r.allow() ? Decision.ALLOW : Decision.DENY;
      }
    }
    return Decision.NO_MATCH;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AclRules other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return "AclRules[" + rules.size() + " rules]";
  }
}
