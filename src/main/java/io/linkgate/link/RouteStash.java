package io.linkgate.link;

import io.linkgate.link.wire.RouteOp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Route ops waiting to be replicated, coalesced per (filter, route id): a newer op replaces an older one, so a
 * subscribe/unsubscribe storm while the link is down costs one op per route. Owned by the link verticle.
 */
final class RouteStash {
  private record Key(String filter, String routeId) {
  }

  private final LinkedHashMap<Key, RouteOp> ops = new LinkedHashMap<>();

  void push(RouteOp op) {
    Key key = new Key(op.filter(), op.routeId());
    ops.remove(key);
    ops.put(key, op);
  }

  /** Puts back ops of a batch that failed, unless a newer op for the same route arrived meanwhile. */
  void restore(List<RouteOp> batch) {
    for (RouteOp op : batch) {
      ops.putIfAbsent(new Key(op.filter(), op.routeId()), op);
    }
  }

  /** Takes up to {@code max} ops, adds before deletes (as EMQX's syncer drains them). */
  List<RouteOp> take(int max) {
    List<RouteOp> batch = new ArrayList<>(Math.min(max, ops.size()));
    drain(batch, max, RouteOp.Type.ADD);
    drain(batch, max, RouteOp.Type.DELETE);
    return batch;
  }

  private void drain(List<RouteOp> batch, int max, RouteOp.Type type) {
    for (Iterator<RouteOp> it = ops.values().iterator(); it.hasNext() && batch.size() < max; ) {
      RouteOp op = it.next();
      if (op.type() == type) {
        batch.add(op);
        it.remove();
      }
    }
  }

  boolean isEmpty() {
    return ops.isEmpty();
  }

  int size() {
    return ops.size();
  }

  void clear() {
    ops.clear();
  }

  /** Drops the adds (a snapshot about to be sent covers them) and keeps the deletes, which no snapshot carries. */
  void retainDeletes() {
    ops.values().removeIf(op -> op.type() == RouteOp.Type.ADD);
  }
}
