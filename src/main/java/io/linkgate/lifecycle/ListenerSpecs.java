package io.linkgate.lifecycle;

import io.linkgate.authn.ListenerAuthn;
import io.linkgate.broker.ListenerSpec;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.config.ListenerOptions;
import io.linkgate.config.ListenersOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The broker listeners a config asks for: what the node opens at start and what a reload moves them to. */
public final class ListenerSpecs {
  private ListenerSpecs() {
  }

  /** Every enabled listener with its TLS, authentication and connection limits. */
  public static List<ListenerSpec> of(LinkgateConfig config) {
    List<ListenerSpec> specs = new ArrayList<>();
    for (Map.Entry<String, ListenerOptions> e : config.listeners().enabled().entrySet()) {
      ListenerOptions l = e.getValue();
      ListenerSpec.Type type = ListenerSpec.Type.valueOf(ListenersOptions.typeOf(e.getKey()).name());
      int max = l.maxConnections() == Integer.MAX_VALUE ? 0 : l.maxConnections();
      String path = l.websocket() == null ? "/mqtt" : l.websocket().mqttPath();
      long rate = l.maxConnRate().unlimited() ? 0 : l.maxConnRate().count();
      specs.add(new ListenerSpec(e.getKey(), type, l.bind().host(), l.bind().port(), max, path, l.ssl(),
        ListenerAuthn.of(l), rate, l.maxConnRate().period().toMillis()));
    }
    return specs;
  }
}
