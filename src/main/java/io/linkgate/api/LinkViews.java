package io.linkgate.api;

import io.linkgate.config.LinkOptions;
import io.linkgate.link.ForwardingMetrics;
import io.linkgate.link.InboundLinkStats;
import io.linkgate.link.LinkStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON shapes of links and their metrics, as EMQX's API returns them (reference §4). */
final class LinkViews {

  private LinkViews() {
  }

  /** The link's config with secrets redacted, plus its status on each node (one node today). */
  static JsonObject link(LinkOptions link, String status, String reason, String node) {
    return link(link, status, nodeStatus(node, status, reason));
  }

  /**
   * A running link: {@code node_status[]} also has the peer address in use ({@code server}) and the last failure
   * ({@code last_failure_reason}, {@code last_failure_at} in ISO-8601), which stay after the link recovered.
   */
  static JsonObject link(LinkOptions link, LinkStatus s, String node) {
    JsonObject nodeStatus = nodeStatus(node, s.status(), s.reason()).put("server", s.server());
    if (s.lastFailureReason() != null) {
      nodeStatus.put("last_failure_reason", s.lastFailureReason())
        .put("last_failure_at", s.lastFailureAt().toString());
    }
    return link(link, s.status(), nodeStatus);
  }

  private static JsonObject link(LinkOptions link, String status, JsonObject nodeStatus) {
    return link.toJson(true).put("status", status).put("node_status", new JsonArray().add(nodeStatus));
  }

  private static JsonObject nodeStatus(String node, String status, String reason) {
    JsonObject nodeStatus = new JsonObject().put("node", node).put("status", status);
    if (reason != null) {
      nodeStatus.put("reason", reason);
    }
    return nodeStatus;
  }

  static JsonObject metrics(InboundLinkStats inbound, LinkStatus status) {
    ForwardingMetrics f = status == null ? ForwardingMetrics.ZERO : status.forwarding();
    return new JsonObject()
      .put("router", new JsonObject().put("routes", inbound.routes()))
      .put("forwarding", new JsonObject()
        .put("matched", f.matched()).put("success", f.success()).put("failed", f.failed())
        .put("dropped", f.dropped()).put("retried", f.retried()).put("queuing", f.queuing())
        .put("inflight", f.inflight()).put("rate", f.rate()).put("rate_last5m", f.rateLast5m())
        .put("rate_max", f.rateMax()).put("dropped_by_reason", new JsonObject(new java.util.LinkedHashMap<>(
          f.droppedByReason())))
        .put("replayed_after_restart", f.replayedAfterRestart())
        .put("buffer", buffer(f.durable())))
      .put("received", new JsonObject().put("accepted", inbound.received()).put("dropped", inbound.dropped()));
  }

  /**
   * The durable log's counters ({@code buffer_mode = durable}), which add up: enqueued = acknowledged + dropped
   * (queue_full + expired) + backlog_messages; rejected (reject_new) never entered it. Null when memory only.
   */
  private static JsonObject buffer(io.linkgate.store.LogStats d) {
    if (d == null) {
      return null;
    }
    return new JsonObject().put("mode", "durable")
      .put("enqueued", d.appended()).put("acknowledged", d.acknowledged())
      .put("dropped", new JsonObject().put("queue_full", d.droppedQueueFull()).put("expired", d.droppedExpired()))
      .put("rejected", d.rejected()).put("recovered_at_start", d.recovered()).put("replayed", d.replayed())
      .put("backlog_messages", d.backlogMessages()).put("backlog_bytes", d.backlogBytes())
      .put("oldest_backlog_age_ms", d.oldestBacklogAgeMillis()).put("segments", d.segments())
      .put("fsyncs", d.fsyncs()).put("write_errors", d.writeErrors());
  }
}
