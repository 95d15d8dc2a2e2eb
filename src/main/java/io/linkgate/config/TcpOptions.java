package io.linkgate.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Socket options of a link's outgoing connections ({@code cluster.links[i].tcp_opts}), EMQX names. Buffer sizes
 * take a size string ({@code "16KB"}) or bytes; 0 leaves the OS default.
 *
 * @param keepalive TCP keepalive: {@code "none"}, or {@code "Idle,Interval,Probes"} in seconds and a count
 * @param activeN accepted for EMQX compatibility (an Erlang socket setting); no effect here
 * @param delaySend accepted for EMQX compatibility; no effect here
 */
public record TcpOptions(boolean nodelay, long sndbuf, long recbuf, long buffer, String keepalive, int activeN,
    boolean delaySend) {

  public static final String KEEPALIVE_NONE = "none";

  private static final Pattern KEEPALIVE = Pattern.compile("none|\\d{1,5},\\d{1,5},\\d{1,5}");
  private static final long MAX_BUFFER = 1024L * 1024 * 1024;

  /** Declared after KEEPALIVE, which the constructor uses. */
  public static final TcpOptions DEFAULT = new TcpOptions(true, 0, 0, 0, KEEPALIVE_NONE, 100, false);

  public TcpOptions {
    if (!KEEPALIVE.matcher(keepalive).matches()) {
      throw new IllegalArgumentException("keepalive: " + keepalive);
    }
  }

  public boolean keepaliveEnabled() {
    return !KEEPALIVE_NONE.equals(keepalive);
  }

  /** Idle seconds before the first probe; 0 when keepalive is off. */
  public int keepaliveIdle() {
    return keepaliveEnabled() ? Integer.parseInt(keepalive.split(",")[0]) : 0;
  }

  /** Seconds between probes; 0 when keepalive is off. */
  public int keepaliveInterval() {
    return keepaliveEnabled() ? Integer.parseInt(keepalive.split(",")[1]) : 0;
  }

  /** Unanswered probes before the connection is dropped; 0 when keepalive is off. */
  public int keepaliveProbes() {
    return keepaliveEnabled() ? Integer.parseInt(keepalive.split(",")[2]) : 0;
  }

  public static TcpOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    TcpOptions d = DEFAULT;
    Fields f = new Fields(json, path, errors);
    boolean nodelay = f.bool("nodelay", d.nodelay);
    long sndbuf = f.size("sndbuf", 0, 1, MAX_BUFFER);
    long recbuf = f.size("recbuf", 0, 1, MAX_BUFFER);
    long buffer = f.size("buffer", 0, 1, MAX_BUFFER);
    String keepalive = f.string("keepalive", d.keepalive);
    if (!KEEPALIVE.matcher(keepalive).matches()) {
      f.error("keepalive", "must be \"none\" or \"Idle,Interval,Probes\" such as \"240,30,5\", got \""
          + keepalive + "\"");
    }
    int activeN = f.integer("active_n", d.activeN, 1, 65_535);
    boolean delaySend = f.bool("delay_send", d.delaySend);
    return f.result(() -> new TcpOptions(nodelay, sndbuf, recbuf, buffer, keepalive, activeN, delaySend));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("nodelay", nodelay);
    putSize(json, "sndbuf", sndbuf);
    putSize(json, "recbuf", recbuf);
    putSize(json, "buffer", buffer);
    return json.put("keepalive", keepalive).put("active_n", activeN).put("delay_send", delaySend);
  }

  private static void putSize(JsonObject json, String key, long bytes) {
    if (bytes > 0) {
      json.put(key, Values.formatSize(bytes));
    }
  }
}
