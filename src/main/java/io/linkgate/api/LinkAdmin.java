package io.linkgate.api;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.config.ClusterOptions;
import io.linkgate.config.ConfigException;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.PemSource;
import io.linkgate.config.ValidationError;
import io.linkgate.lifecycle.AtomicFileWriter;
import io.linkgate.lifecycle.ConfigManager;
import io.linkgate.link.InboundLinkStats;
import io.linkgate.link.LinkManager;
import io.linkgate.link.LinkStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The link operations of the REST API. Every operation runs on the gateway's context, one after another, so two
 * requests never interleave (eight parallel DELETEs of one link: one 204, seven 404) and a rejected request changes
 * nothing: the new link set is validated as a whole before {@link LinkManager#apply} sees it.
 */
public final class LinkAdmin {
  private final Vertx vertx;
  private final ConfigManager configs;
  private final LinkManager links;
  private final String nodeName;
  private final String dataDir;

  public LinkAdmin(Vertx vertx, ConfigManager configs, LinkManager links, String nodeName, String dataDir) {
    this.vertx = vertx;
    this.configs = configs;
    this.links = links;
    this.nodeName = nodeName;
    this.dataDir = dataDir;
  }

  /**
   * Certificates pasted into {@code ssl.cacertfile/certfile/keyfile} (PEM text instead of a path) are saved under
   * {@code <data_dir>/certs/cluster/links/<name>/} and replaced by their path, as EMQX does. Called inside an
   * operation, after validation: a refused request writes nothing. Each file is named by its content's hash, so
   * a new certificate is a new path (the link sees a change and reconnects with it), and is written atomically and
   * readable by the owner only (it may be a private key).
   */
  private Future<LinkOptions> storeInlinePem(LinkOptions link) {
    JsonObject json = link.toJson(false);
    if (!(json.getValue("ssl") instanceof JsonObject ssl)) {
      return Future.succeededFuture(link);
    }
    String dir = dataDir + "/certs/cluster/links/" + link.name();
    Future<Void> done = Future.succeededFuture();
    for (String field : List.of("cacertfile", "certfile", "keyfile")) {
      if (ssl.getValue(field) instanceof String text && PemSource.isInline(text)) {
        String file = dir + "/" + field + "-" + io.linkgate.Sha256.shortHex(text) + ".pem";
        // atomic and owner-only from the first byte: a reader never sees half a key, nor a key others can read
        done = done.compose(v -> vertx.executeBlocking(() -> {
          java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
          new AtomicFileWriter().writeOwnerOnly(java.nio.file.Path.of(file),
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return null;
        }, false));
        ssl.put(field, file);
      }
    }
    return done.map(v -> parse(json, ""));
  }

  /** A new link has no stored secret: {@code ******} would be kept as the literal text. */
  private static void refuseRedacted(LinkOptions link) {
    if (LinkOptions.REDACTED.equals(link.password()) || LinkOptions.REDACTED.equals(link.ssl().password())) {
      throw ApiException.badRequest("password: is " + LinkOptions.REDACTED
        + " but there is no stored secret to keep: give the value");
    }
  }

  /** One operation at a time, in arrival order, with reloads of the config file in the same queue. */
  private <T> Future<T> onGateway(Supplier<Future<T>> op) {
    return configs.serially(op);
  }

  Future<JsonArray> list() {
    return onGateway(this::views);
  }

  /** Within an operation (never nest {@link #onGateway}: the inner one would wait for the outer one). */
  private Future<JsonArray> views() {
    List<Future<JsonObject>> views = new ArrayList<>();
    for (LinkOptions link : links.cluster().links()) {
      views.add(view(link));
    }
    return Future.all(views).map(all -> new JsonArray(new ArrayList<>(all.list())));
  }

  Future<JsonObject> get(String name) {
    return onGateway(() -> view(existing(name)));
  }

  Future<JsonObject> create(JsonObject body) {
    return onGateway(() -> {
      // every problem of the body at once (name, server, topics...), then whether the name is free
      LinkOptions parsed = parse(writable(body), "");
      String name = parsed.name();
      if (links.cluster().link(name).isPresent()) {
        throw new ApiException(400, "ALREADY_EXISTS", "Cluster link already exists");
      }
      refuseRedacted(parsed);
      return storeInlinePem(parsed).compose(link -> {
        List<LinkOptions> next = new ArrayList<>(links.cluster().links());
        next.add(link);
        return apply(next).compose(v -> view(link));
      });
    });
  }

  /** PUT on one link: the name comes from the path; {@code ******} secrets keep the stored ones. */
  Future<JsonObject> update(String name, JsonObject body) {
    return onGateway(() -> {
      LinkOptions stored = existing(name);
      Object bodyName = body.getValue("name");
      if (bodyName != null && !name.equals(bodyName)) {
        throw ApiException.badRequest("name: cannot be changed (\"" + bodyName + "\" in the body, \"" + name
          + "\" in the path)");
      }
      LinkOptions parsed = parse(writable(body).put("name", name), "").restoreRedacted(stored);
      return storeInlinePem(parsed).compose(link -> {
        List<LinkOptions> next = new ArrayList<>();
        for (LinkOptions l : links.cluster().links()) {
          next.add(l.name().equals(name) ? link : l);
        }
        return apply(next).compose(v -> view(link));
      });
    });
  }

  /** The seed's "update or create": one link object by its name, or an array that replaces the whole list. */
  Future<Object> put(Object body) {
    if (body instanceof JsonObject obj) {
      String name = obj.getValue("name") instanceof String s ? s : null;
      if (name == null) {
        try {
          parse(writable(obj), ""); // reports the missing name with every other problem of the body
        } catch (ApiException e) {
          return Future.failedFuture(e);
        }
        return Future.failedFuture(ApiException.badRequest("name: missing required key"));
      }
      return onGateway(() -> Future.succeededFuture(links.cluster().link(name).isPresent()))
        .compose(exists -> exists ? update(name, obj).map(o -> (Object) o) : create(obj).map(o -> (Object) o));
    }
    if (body instanceof JsonArray array) {
      return onGateway(() -> {
        List<ValidationError> errors = new ArrayList<>();
        List<LinkOptions> next = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          if (!(array.getValue(i) instanceof JsonObject obj)) {
            errors.add(new ValidationError("[" + i + "]", "expected an object"));
            continue;
          }
          LinkOptions link = LinkOptions.fromJson(writable(obj), "[" + i + "]", errors);
          if (link != null) {
            LinkOptions stored = links.cluster().link(link.name()).orElse(null);
            next.add(stored == null ? link : link.restoreRedacted(stored));
          }
        }
        failOn(errors);
        next.stream().filter(l -> links.cluster().link(l.name()).isEmpty()).forEach(LinkAdmin::refuseRedacted);
        List<Future<LinkOptions>> stored = next.stream().map(this::storeInlinePem).toList();
        return Future.all(stored).compose(all -> apply(stored.stream().map(Future::result).toList()))
          .compose(v -> views().map(a -> (Object) a));
      });
    }
    return Future.failedFuture(ApiException.badRequest("expected a link object or an array of links"));
  }

  Future<Void> delete(String name) {
    return onGateway(() -> {
      existing(name);
      List<LinkOptions> next = new ArrayList<>(links.cluster().links());
      next.removeIf(l -> l.name().equals(name));
      return apply(next);
    });
  }

  Future<JsonObject> metrics(String name) {
    return onGateway(() -> {
      LinkOptions link = existing(name);
      Future<InboundLinkStats> inbound = vertx.eventBus().<InboundLinkStats>request(Addresses.INBOUND_STATS, name,
        LocalCodec.LOCAL).map(io.vertx.core.eventbus.Message::body);
      Future<LinkStatus> status = link.enable() && links.runningLinks().contains(name) ? links.status(name)
        : Future.succeededFuture(null);
      return Future.all(inbound, status).map(all -> {
        JsonObject metrics = LinkViews.metrics(inbound.result(), status.result());
        return new JsonObject().put("metrics", metrics)
          .put("node_metrics", new JsonArray().add(new JsonObject().put("node", nodeName).put("metrics", metrics)));
      });
    });
  }

  Future<Void> resetMetrics(String name) {
    return onGateway(() -> {
      existing(name);
      Future<?> inbound = vertx.eventBus().request(Addresses.INBOUND_STATS_RESET, name, LocalCodec.LOCAL);
      Future<?> forwarding = links.runningLinks().contains(name)
        ? vertx.eventBus().request(Addresses.linkStatus(name), "reset", LocalCodec.LOCAL) : Future.succeededFuture();
      return Future.all(inbound, forwarding).mapEmpty();
    });
  }

  // ---- helpers (gateway context) ----

  private LinkOptions existing(String name) {
    return links.cluster().link(name).orElseThrow(() -> ApiException.notFound("Cluster link not found"));
  }

  /** A link as GET returns it may be PUT back: the read-only status fields are dropped, not refused. */
  private static JsonObject writable(JsonObject body) {
    JsonObject copy = body.copy();
    copy.remove("status");
    copy.remove("node_status");
    return copy;
  }

  private static LinkOptions parse(JsonObject body, String path) {
    List<ValidationError> errors = new ArrayList<>();
    LinkOptions link = LinkOptions.fromJson(body, path, errors);
    failOn(errors);
    return link;
  }

  private static void failOn(List<ValidationError> errors) {
    if (!errors.isEmpty()) {
      StringBuilder message = new StringBuilder();
      for (ValidationError e : errors) {
        message.append(message.length() == 0 ? "" : "; ").append(e.path().startsWith(".") ? e.path().substring(1)
          : e.path()).append(": ").append(e.message());
      }
      throw ApiException.badRequest(message.toString());
    }
  }

  /** Validates the whole link set as the config file would be, then applies it. */
  private Future<Void> apply(List<LinkOptions> next) {
    ClusterOptions current = links.cluster();
    Set<String> names = new LinkedHashSet<>();
    for (LinkOptions l : next) {
      if (!names.add(l.name())) {
        throw ApiException.badRequest("duplicate link name \"" + l.name() + "\"");
      }
      if (l.name().equals(current.name())) {
        throw ApiException.badRequest("name: must not be this cluster's own name \"" + current.name() + "\"");
      }
    }
    return configs.updateLinks(next).recover(err -> Future.failedFuture(err instanceof ConfigException e
      ? ApiException.badRequest(e.errors().stream().map(Object::toString).collect(Collectors.joining("; "))) : err));
  }

  private Future<JsonObject> view(LinkOptions link) {
    if (!link.enable()) {
      return Future.succeededFuture(LinkViews.link(link, "stopped", null, nodeName));
    }
    if (!links.runningLinks().contains(link.name())) {
      return Future.succeededFuture(LinkViews.link(link, "disconnected", "link failed to start", nodeName));
    }
    return links.status(link.name())
      .map(s -> LinkViews.link(link, s, nodeName))
      .otherwise(err -> LinkViews.link(link, "inconsistent", err.getMessage(), nodeName));
  }
}
