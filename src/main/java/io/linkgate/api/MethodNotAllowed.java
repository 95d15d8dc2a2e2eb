package io.linkgate.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a request that no route took gets: 405 with {@code Allow} when its path exists with other methods (PATCH on a
 * link), 404 otherwise. The catch-all route matches every method, so vertx-web's own 405 never fires.
 */
final class MethodNotAllowed {
  private record PathMethods(Pattern path, Set<HttpMethod> methods) {
  }

  private final List<PathMethods> routes;

  private MethodNotAllowed(List<PathMethods> routes) {
    this.routes = routes;
  }

  /** The exact (non-wildcard) routes of {@code router} with their methods; call once every route is mounted. */
  static MethodNotAllowed of(Router router) {
    List<PathMethods> routes = new ArrayList<>();
    for (var route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || route.methods() == null || route.methods().isEmpty() || path.endsWith("*")) {
        continue;
      }
      StringBuilder regex = new StringBuilder();
      for (String segment : path.split("/", -1)) {
        if (!regex.isEmpty() || !segment.isEmpty()) {
          regex.append('/');
        }
        regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
      }
      routes.add(new PathMethods(Pattern.compile(regex.toString()), Set.copyOf(route.methods())));
    }
    return new MethodNotAllowed(routes);
  }

  /** The methods served on {@code path}, sorted; empty when no route has this path. */
  Set<String> allowed(String path) {
    Set<String> out = new TreeSet<>();
    for (PathMethods r : routes) {
      if (r.path().matcher(path).matches()) {
        r.methods().forEach(m -> out.add(m.name()));
      }
    }
    return out;
  }

  /** The error for a request no route took; sets {@code Allow} for a 405. */
  ApiException failure(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String method = ctx.request().method().name();
    Set<String> allowed = allowed(path);
    if (allowed.isEmpty()) {
      return ApiException.notFound("no such resource: " + method + " " + path);
    }
    String allow = String.join(", ", allowed);
    ctx.response().putHeader("Allow", allow);
    return new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not supported on " + path + "; allowed: " + allow
      + (method.equals("PATCH") ? " (PUT replaces the whole resource)" : ""));
  }
}
