package io.linkgate.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web dashboard: static files from the classpath ({@code io/linkgate/dashboard/}, inside the JAR), served at
 * {@code /} without credentials. They hold no data; every API call the page makes carries a bearer token.
 */
final class Dashboard {
  static final String WEB_ROOT = "io/linkgate/dashboard";

  /**
   * Same-origin scripts and styles only (no inline code, no CDN), no framing. {@code data:} images are the upload
   * previews browsers may make; nothing else needs them.
   */
  private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private Dashboard() {
  }

  /** Mount after every API route: unknown paths fall through the static handler to the API's JSON 404. */
  static void mount(Router router) {
    router.route("/*").handler(Dashboard::headers)
      .handler(StaticHandler.create(FileSystemAccess.RELATIVE, WEB_ROOT).setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
      .putHeader("Content-Security-Policy", CSP)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer")
      // a new JAR must never run against modules cached from the old one
      .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
