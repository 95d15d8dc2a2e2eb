package io.linkgate.acl;

import io.linkgate.broker.ClientInfo;

/**
 * One entry of a rule's topic list. A plain string is a topic filter (with {@code %u}/{@code %c} or
 * {@code ${username}}/{@code ${clientid}} placeholders) matched with MQTT wildcards; {@code {eq, "..."}} matches only
 * that exact string, so {@code {eq, "#"}} catches a subscription to {@code #} without catching {@code a/b}.
 */
sealed interface TopicMatcher {

  /**
   * @param topic a topic name (publish) or a topic filter (subscribe, with any {@code $share/<group>/} removed)
   */
  boolean matches(ClientInfo client, String topic);

  record Eq(String text) implements TopicMatcher {
    @Override
    public boolean matches(ClientInfo client, String topic) {
      return text.equals(topic);
    }
  }

  record Filter(String filter, boolean hasPlaceholders) implements TopicMatcher {

    static Filter of(String filter) {
      boolean placeholders = filter.contains("%u") || filter.contains("%c") || filter.contains("${username}")
        || filter.contains("${clientid}");
      return new Filter(filter, placeholders);
    }

    @Override
    public boolean matches(ClientInfo client, String topic) {
      String f = hasPlaceholders ? substitute(client) : filter;
      return f != null && AclTopics.matches(f, topic);
    }

    /** The filter for this client; null when it names a username the client does not have. */
    private String substitute(ClientInfo client) {
      String f = filter;
      if (f.contains("%u") || f.contains("${username}")) {
        if (client.username() == null || client.username().isEmpty()) {
          return null;
        }
        f = f.replace("%u", client.username()).replace("${username}", client.username());
      }
      return f.replace("%c", client.clientId()).replace("${clientid}", client.clientId());
    }
  }
}
