package io.linkgate.link;

/**
 * What a peer sent us over a link, as counted on the receiving side.
 *
 * @param routes    external route entries (filter, route id) received from that peer
 * @param actors    live replication actors of that peer
 * @param received  forwarded messages accepted and published locally
 * @param dropped   forwarded messages refused (link disabled, topic outside our link's topics or invalid,
 *                  undecodable, expired on arrival)
 * @param propertiesDropped properties left out of accepted messages because they were not valid MQTT strings
 *                  (invalid UTF-8, U+0000; EMQX 5.x forwards them unchecked): one per User-Property pair,
 *                  Content-Type or Response-Topic
 */
public record InboundLinkStats(int routes, int actors, long received, long dropped, long propertiesDropped) {

  public InboundLinkStats(int routes, int actors, long received, long dropped) {
    this(routes, actors, received, dropped, 0);
  }
}
