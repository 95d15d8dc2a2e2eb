package io.linkgate.lifecycle;

import io.linkgate.config.ClusterOptions;
import io.linkgate.config.LinkgateConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changes when a new config replaces the running one. Links, listeners and the {@code mqtt} limits change at
 * run time, and so do the authorization rules (ACL files re-read); everything else ({@code node.*}, {@code cluster.name}, {@code api.*}, {@code mqtt.max_packet_size},
 * which the listeners' decoders are built with, and any section without run-time support) is reported as needing
 * a restart and keeps its running value.
 *
 * @param target       the config that will run: the new one with the restart-only keys as they run now
 * @param changes      what will be applied, as config paths ({@code cluster.links[eu-west]: added})
 * @param needsRestart paths whose new value waits for a restart
 */
record ReloadPlan(LinkgateConfig target, List<String> changes, List<String> needsRestart, boolean linksChanged,
                  boolean listenersChanged, boolean mqttChanged, boolean authorizationChanged) {

  static final Set<String> LIVE_SECTIONS = Set.of("cluster", "listeners", "mqtt", "authorization");
  static final String MAX_PACKET_SIZE = "max_packet_size";

  boolean unchanged() {
    return changes.isEmpty();
  }

  /**
   * Both configs are validated already; the target is put together from their parts, so planning reads no file
   * and validates nothing again.
   */
  static ReloadPlan of(LinkgateConfig running, LinkgateConfig candidate) {
    LinkgateConfig target = new LinkgateConfig(running.node(),
      new ClusterOptions(running.cluster().name(), candidate.cluster().links()), candidate.listeners(),
      candidate.mqtt().withMaxPacketSize(running.mqtt().maxPacketSize()), running.api(), running.authentication(),
      candidate.authorization());
    JsonObject now = running.toJson(false);
    JsonObject next = candidate.toJson(false);
    List<String> changes = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    Set<String> sections = new LinkedHashSet<>(now.fieldNames());
    sections.addAll(next.fieldNames());
    for (String section : sections) {
      Object a = now.getValue(section);
      Object b = next.getValue(section);
      if (!LIVE_SECTIONS.contains(section)) {
        leafDiff(section, a, b, restart);
      }
    }
    JsonObject clusterNow = now.getJsonObject("cluster");
    JsonObject clusterNext = next.getJsonObject("cluster");
    leafDiff("cluster.name", clusterNow.getValue("name"), clusterNext.getValue("name"), restart);
    int linkChanges = linkDiff(clusterNow.getJsonArray("links"), clusterNext.getJsonArray("links"), changes);

    int before = changes.size();
    leafDiff("listeners", now.getValue("listeners"), next.getValue("listeners"), changes);
    boolean listeners = changes.size() > before;

    JsonObject mqttNow = now.getJsonObject("mqtt");
    JsonObject mqttNext = next.getJsonObject("mqtt");
    leafDiff("mqtt." + MAX_PACKET_SIZE, mqttNow.getValue(MAX_PACKET_SIZE), mqttNext.getValue(MAX_PACKET_SIZE), restart);
    mqttNext.put(MAX_PACKET_SIZE, mqttNow.getValue(MAX_PACKET_SIZE));
    before = changes.size();
    leafDiff("mqtt", mqttNow, mqttNext, changes);
    boolean mqtt = changes.size() > before;

    // the ACL files are part of the config: an edit of one is a change even when the config text is the same
    boolean authorization = !running.authorization().equals(candidate.authorization());
    if (authorization) {
      before = changes.size();
      leafDiff("authorization", now.getValue("authorization"), next.getValue("authorization"), changes);
      if (changes.size() == before) {
        changes.add("authorization.sources: ACL file content");
      }
    }

    return new ReloadPlan(target, List.copyOf(changes), List.copyOf(restart), linkChanges > 0,
      listeners, mqtt, authorization);
  }

  /** Links by name: added, removed, or which of their keys changed. Returns how many links differ. */
  private static int linkDiff(JsonArray now, JsonArray next, List<String> out) {
    Map<String, JsonObject> a = byName(now);
    Map<String, JsonObject> b = byName(next);
    int count = 0;
    for (Map.Entry<String, JsonObject> e : a.entrySet()) {
      String path = "cluster.links[" + e.getKey() + "]";
      JsonObject other = b.get(e.getKey());
      if (other == null) {
        out.add(path + ": removed");
        count++;
      } else if (!other.equals(e.getValue())) {
        List<String> keys = new ArrayList<>();
        leafDiff(path, e.getValue(), other, keys);
        out.add(path + ": changed " + keys.stream().map(k -> k.substring(path.length() + 1)).toList());
        count++;
      }
    }
    for (String name : b.keySet()) {
      if (!a.containsKey(name)) {
        out.add("cluster.links[" + name + "]: added");
        count++;
      }
    }
    if (count == 0 && !a.keySet().stream().toList().equals(b.keySet().stream().toList())) {
      out.add("cluster.links: reordered");
      count++;
    }
    return count;
  }

  private static Map<String, JsonObject> byName(JsonArray links) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (int i = 0; i < links.size(); i++) {
      JsonObject link = links.getJsonObject(i);
      out.put(link.getString("name"), link);
    }
    return out;
  }

  /** Adds the path of every leaf that differs; arrays compare as a whole. Values are never listed (secrets). */
  static void leafDiff(String path, Object a, Object b, List<String> out) {
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      Set<String> keys = new LinkedHashSet<>(x.fieldNames());
      keys.addAll(y.fieldNames());
      for (String k : keys) {
        leafDiff(path + "." + k, x.getValue(k), y.getValue(k), out);
      }
    } else if (!Objects.equals(a, b)) {
      out.add(path);
    }
  }
}
