package io.linkgate.acl;

import io.linkgate.broker.Authorizer;
import io.linkgate.broker.ClientInfo;
import io.linkgate.topic.Topics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EMQX-style authorization: the rules of each source in order, first match wins, {@code no_match} otherwise.
 * Owned by the broker thread (one per broker, never shared between threads): the decision cache is a plain LRU map.
 * Regexes are compiled when the file is loaded, so a check is a few string comparisons; repeated checks (a client
 * publishing to the same topic) are answered from the cache.
 */
public final class AclAuthorizer implements Authorizer {
  /** Decisions kept; each entry is a client, a topic and a few flags. */
  static final int CACHE_ENTRIES = 10_000;

  private record Key(ClientInfo client, boolean publish, String topic, int qos, boolean retain) {
  }

  private final List<AclRules> sources;
  private final boolean noMatchAllows;
  private final boolean disconnectOnDeny;
  private final Map<Key, Boolean> cache;

  public AclAuthorizer(List<AclRules> sources, boolean noMatchAllows, boolean disconnectOnDeny, boolean cache) {
    this.sources = List.copyOf(sources);
    this.noMatchAllows = noMatchAllows;
    this.disconnectOnDeny = disconnectOnDeny;
    this.cache = cache ? new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
        return size() > CACHE_ENTRIES;
      }
    } : null;
  }

  @Override
  public boolean canPublish(ClientInfo client, String topic) {
    return canPublish(client, topic, 0, false);
  }

  @Override
  public boolean canPublish(ClientInfo client, String topic, int qos, boolean retain) {
    return decide(new Key(client, true, topic, qos, retain));
  }

  @Override
  public boolean canSubscribe(ClientInfo client, String filter) {
    return canSubscribe(client, filter, 0);
  }

  @Override
  public boolean canSubscribe(ClientInfo client, String filter, int qos) {
    return decide(new Key(client, false, filter, qos, false));
  }

  @Override
  public boolean disconnectOnDeny() {
    return disconnectOnDeny;
  }

  private boolean decide(Key key) {
    if (cache == null) {
      return evaluate(key);
    }
    Boolean known = cache.get(key);
    if (known != null) {
      return known;
    }
    boolean allowed = evaluate(key);
    cache.put(key, allowed);
    return allowed;
  }

  private boolean evaluate(Key key) {
    String topic = key.topic();
    if (!key.publish()) {
      // a shared subscription is authorized on the filter it receives from, as EMQX does
      Topics.SharedFilter shared = Topics.parseShared(topic);
      if (shared != null) {
        topic = shared.filter();
      }
    }
    AclAction.Request request = new AclAction.Request(key.publish(), topic, key.qos(), key.retain());
    for (AclRules rules : sources) {
      AclRules.Decision d = rules.check(key.client(), request, topic);
      if (d != AclRules.Decision.NO_MATCH) {
        return d == AclRules.Decision.ALLOW;
      }
    }
    return noMatchAllows;
  }
}
