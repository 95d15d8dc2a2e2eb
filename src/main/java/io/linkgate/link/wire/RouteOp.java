package io.linkgate.link.wire;

import java.util.Objects;

/**
 * One route entry. On the wire an add is {@code {Filter, RouteId}} and a delete is
 * {@code {100, Filter, RouteId}}, both binaries.
 *
 * @param filter the intersection of a local subscription with the link's topics
 * @param routeId identifies the local route: the subscription filter itself, or
 *     {@code $s/<group>/<filter>} (shared), {@code $p/<session>/<filter>} (durable),
 *     {@code $sp/<group>/<session>/<filter>} (durable shared)
 */
public record RouteOp(Type type, String filter, String routeId) {
  public enum Type {
    ADD,
    DELETE
  }

  public RouteOp {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(routeId, "routeId");
  }

  public static RouteOp add(String filter, String routeId) {
    return new RouteOp(Type.ADD, filter, routeId);
  }

  public static RouteOp delete(String filter, String routeId) {
    return new RouteOp(Type.DELETE, filter, routeId);
  }
}
