package io.linkgate.lifecycle;

import io.linkgate.config.ValidationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The outcome of one reload or config change, as {@code GET /api/v5/configs/status} shows it.
 *
 * @param trigger what asked for it: {@code file_watch}, {@code sighup}, {@code api_reload}, {@code api_put}
 * @param sha256  the hash of the file version that was read (null when there is no file)
 */
public record ReloadReport(String trigger, Result result, long at, String sha256, List<String> changes,
                           List<String> needsRestart, List<ValidationError> errors) {

  public enum Result {
    /** the new config runs (keys needing a restart excepted) */
    APPLIED,
    /** the file's config is the running one */
    UNCHANGED,
    /** the file is invalid or could not be applied; the running config was kept */
    REJECTED
  }

  public ReloadReport {
    changes = List.copyOf(changes);
    needsRestart = List.copyOf(needsRestart);
    errors = List.copyOf(errors);
  }

  static ReloadReport rejected(String trigger, String sha256, List<ValidationError> errors) {
    return new ReloadReport(trigger, Result.REJECTED, System.currentTimeMillis(), sha256, List.of(), List.of(),
      errors);
  }

  public JsonObject toJson() {
    JsonArray errs = new JsonArray();
    errors.forEach(e -> errs.add(new JsonObject().put("path", e.path()).put("message", e.message())));
    return new JsonObject().put("trigger", trigger).put("result", result.name().toLowerCase(java.util.Locale.ROOT))
      .put("at", at).put("sha256", sha256).put("changes", new JsonArray(changes))
      .put("needs_restart", new JsonArray(needsRestart)).put("errors", errs);
  }
}
