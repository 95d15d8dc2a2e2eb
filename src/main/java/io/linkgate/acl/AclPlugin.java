package io.linkgate.acl;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerPlugin;
import io.linkgate.config.AuthorizationOptions;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the {@code authorization} config as the broker's {@link io.linkgate.broker.Authorizer}. The authorizer is
 * created on the broker thread because its decision cache belongs to that thread.
 */
public final class AclPlugin implements BrokerPlugin {
  private static final Logger log = LoggerFactory.getLogger(AclPlugin.class);

  private final AuthorizationOptions options;

  public AclPlugin(AuthorizationOptions options) {
    this.options = options;
  }

  @Override
  public void install(Broker broker, Vertx vertx) {
    var rules = options.activeRules();
    broker.authorizer(new AclAuthorizer(rules, options.noMatchAllows(), options.disconnectOnDeny(),
      options.cache().enable()));
    log.info("authorization rules loaded [sources: {}, rules: {}, no_match: {}, deny_action: {}]",
      options.sources() == null ? "built-in" : options.sources().size(),
      rules.stream().mapToInt(AclRules::size).sum(), options.noMatchAllows() ? "allow" : "deny",
      options.disconnectOnDeny() ? "disconnect" : "ignore");
  }
}
