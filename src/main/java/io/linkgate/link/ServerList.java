package io.linkgate.link;

import io.linkgate.config.HostPort;

import java.util.List;

/**
 * The addresses of a link's {@code server} list and the one a client is using: a connect attempt that fails moves
 * on to the next, wrapping around. One per link client, owned by the link verticle.
 */
final class ServerList {
  private final List<HostPort> servers;
  private int index;

  ServerList(List<HostPort> servers) {
    this.servers = List.copyOf(servers);
  }

  HostPort current() {
    return servers.get(index);
  }

  /** Moves to the next address after a failed attempt; returns it. */
  HostPort next() {
    index = (index + 1) % servers.size();
    return current();
  }

  int size() {
    return servers.size();
  }
}
