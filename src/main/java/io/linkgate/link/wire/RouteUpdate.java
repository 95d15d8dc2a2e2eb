package io.linkgate.link.wire;

import java.util.List;
import java.util.Objects;

/**
 * A batch of route changes ({@code '$op' => <<"route">>}), used for bootstrap and incremental
 * sync. EMQX sends at most 4000 entries per message.
 */
public record RouteUpdate(String actor, long incarnation, List<RouteOp> routes)
    implements ControlOp {
  /** EMQX's batch size for bootstrap and incremental route ops. */
  public static final int MAX_BATCH = 4000;

  public RouteUpdate {
    Objects.requireNonNull(actor, "actor");
    routes = List.copyOf(routes);
  }
}
