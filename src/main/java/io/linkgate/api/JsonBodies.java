package io.linkgate.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request bodies as JSON, with errors a user can act on: an empty body, or where the text stops being JSON and why,
 * without the parser's own wording (source descriptions, feature flags, character codes).
 */
final class JsonBodies {
  private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)\\]\\s*$");
  private static final String ANY_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

  private JsonBodies() {
  }

  /** The body as a JSON object; 400 for an empty body, invalid JSON or another JSON value. */
  static JsonObject object(RoutingContext ctx) {
    Object body = any(ctx);
    if (body instanceof JsonObject obj) {
      return obj;
    }
    throw ApiException.badRequest("the request body must be a JSON object ({...}), got " + kind(body));
  }

  /** The body as a JSON value: JsonObject, JsonArray, or a scalar for the caller to refuse. */
  static Object any(RoutingContext ctx) {
    String text = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString().strip();
    if (text.isEmpty()) {
      throw ApiException.badRequest("the request body is empty: send a JSON object (content-type: application/json)");
    }
    try {
      return Json.decodeValue(text); // objects and arrays come as JsonObject and JsonArray
    } catch (DecodeException e) {
      throw ApiException.badRequest(describe(e.getMessage()));
    }
  }

  private static String kind(Object value) {
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }

  /** "not valid JSON (line L, column C): reason", from the parser's message. */
  static String describe(String parserMessage) {
    String message = parserMessage == null ? "" : parserMessage;
    String where = "";
    Matcher m = LOCATION.matcher(message);
    if (m.find()) {
      where = " (line " + m.group(1) + ", column " + m.group(2) + ")";
    }
    String reason = message.lines().findFirst().orElse("")
      .replaceFirst("^Failed to decode: ?", "")
      .replace("expected a valid value " + ANY_VALUE, "expected a value")
      .replace(ANY_VALUE, "a value")
      .replaceAll(" \\(code \\d+\\)", "")
      .replaceAll(" \\(start marker at \\[[^\\]]*\\]\\)", "")
      .replaceAll("\\s*at \\[Source:.*", "")
      .strip();
    if (reason.isEmpty()) {
      return "the request body is not valid JSON" + where;
    }
    return "the request body is not valid JSON" + where + ": " + Character.toLowerCase(reason.charAt(0))
      + reason.substring(1);
  }
}
