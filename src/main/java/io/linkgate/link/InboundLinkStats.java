package io.linkgate.link;

/**
 * What a peer sent us over a link, as counted on the receiving side.
 *
 * @param routes    external route entries (filter, route id) received from that peer
 * @param actors    live replication actors of that peer
 * @param received  forwarded messages accepted and published locally
 * @param dropped   forwarded messages refused (link disabled, topic outside our link's topics, undecodable)
 */
public record InboundLinkStats(int routes, int actors, long received, long dropped) {
}
