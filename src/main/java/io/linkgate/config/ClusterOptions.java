package io.linkgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cluster { name, links }}.
 *
 * @param name this cluster's identity: used in {@code $LINK/} topics and as the {@code name} of the peers' links
 *     to us; same format as a link name
 * @param links the peers, in file order; names are unique and differ from {@code name}
 */
public record ClusterOptions(String name, List<LinkOptions> links) {

  public static final String DEFAULT_NAME = "linkgate";
  public static final ClusterOptions DEFAULT = new ClusterOptions(DEFAULT_NAME, List.of());

  public ClusterOptions {
    Objects.requireNonNull(name, "name");
    links = List.copyOf(links);
  }

  public Optional<LinkOptions> link(String linkName) {
    return links.stream().filter(l -> l.name().equals(linkName)).findFirst();
  }

  public List<LinkOptions> enabledLinks() {
    return links.stream().filter(LinkOptions::enable).toList();
  }

  public static ClusterOptions fromJson(JsonObject json, String path, List<ValidationError> errors) {
    Fields f = new Fields(json, path, errors);
    String name = f.string("name", DEFAULT_NAME);
    if (LinkOptions.validateName(name) != null) {
      f.error("name", LinkOptions.validateName(name));
    }
    JsonArray array = f.array("links");
    List<LinkOptions> links = new ArrayList<>();
    if (array != null) {
      String linksPath = f.path("links");
      Set<String> seen = new HashSet<>();
      Set<String> duplicates = new LinkedHashSet<>();
      for (int i = 0; i < array.size(); i++) {
        String linkPath = Fields.index(linksPath, i);
        Object v = array.getValue(i);
        if (!(v instanceof JsonObject obj)) {
          errors.add(new ValidationError(linkPath, "expected an object, got " + Fields.describe(v)));
          continue;
        }
        links.add(LinkOptions.fromJson(obj, linkPath, errors));
        if (obj.getValue("name") instanceof String linkName) {
          if (!seen.add(linkName)) {
            duplicates.add(linkName);
          }
          if (linkName.equals(name)) {
            errors.add(new ValidationError(Fields.child(linkPath, "name"), "must not be this cluster's own name \""
                + name + "\" (cluster.name): a link is named after the peer cluster"));
          }
        }
      }
      if (!duplicates.isEmpty()) {
        errors.add(new ValidationError(linksPath, "duplicate link names " + duplicates
            + ": each peer cluster may be linked once (duplicated_cluster_links)"));
      }
    }
    return f.result(() -> new ClusterOptions(name, links));
  }

  public JsonObject toJson(boolean redactSecrets) {
    JsonArray array = new JsonArray();
    links.forEach(l -> array.add(l.toJson(redactSecrets)));
    return new JsonObject().put("name", name).put("links", array);
  }

  public JsonObject toJson() {
    return toJson(false);
  }
}
