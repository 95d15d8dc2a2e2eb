package io.linkgate.lifecycle;

import com.typesafe.config.parser.ConfigDocument;
import com.typesafe.config.parser.ConfigDocumentFactory;
import io.linkgate.Sha256;
import io.linkgate.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The config file on disk: read with its SHA-256, and edited in place. An edit replaces only the keys it is given
 * and keeps the rest of the operator's text (comments, layout, substitutions) as written. Blocking file I/O: call
 * it from a worker thread.
 */
final class ConfigFile {

  /** The file's text and the SHA-256 of its bytes, which tells one version of the file from another. */
  record Snapshot(String text, String sha256) {
  }

  private final Path path;
  private final AtomicFileWriter writer;

  ConfigFile(Path path, AtomicFileWriter writer) {
    this.path = path;
    this.writer = writer;
  }

  Path path() {
    return path;
  }

  Snapshot read() throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    return new Snapshot(new String(bytes, StandardCharsets.UTF_8), Sha256.hex(bytes));
  }

  /**
   * {@code text} with each key path of {@code values} set to its value (a JSON object, array or scalar) and
   * every other line untouched; a null value removes the key.
   */
  String edit(String text, Map<String, Object> values) {
    ConfigDocument doc = ConfigDocumentFactory.parseString(text, ConfigLoader.parseOptions(path));
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        doc = doc.withoutPath(e.getKey());
      } else {
        doc = doc.withValueText(e.getKey(), render(v));
      }
    }
    return doc.render();
  }

  /** Replaces the file atomically and returns the new version's hash. */
  String write(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    writer.write(path, bytes);
    return Sha256.hex(bytes);
  }

  private static String render(Object value) {
    if (value instanceof JsonObject o) {
      return o.encodePrettily();
    }
    if (value instanceof JsonArray a) {
      return a.encodePrettily();
    }
    return new JsonArray().add(value).encode().replaceAll("^\\[|]$", "");
  }
}
