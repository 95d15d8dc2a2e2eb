package io.linkgate.acl;

import io.linkgate.broker.ClientInfo;

import java.util.List;

/**
 * One line of an ACL file: {@code {allow | deny, Who, Action, Topics}}, or {@code {allow | deny, all}}, which
 * matches everything (its topic list is null).
 *
 * @param line where the rule starts in its file, for logs
 */
record AclRule(boolean allow, ClientMatcher who, AclAction action, List<TopicMatcher> topics, String source,
               int line) {

  boolean matches(ClientInfo client, AclAction.Request request, String topic) {
    if (!who.matches(client) || !action.covers(request)) {
      return false;
    }
    if (topics == null) {
      return true;
    }
    for (TopicMatcher t : topics) {
      if (t.matches(client, topic)) {
        return true;
      }
    }
    return false;
  }
}
