package io.linkgate.api;

import io.linkgate.config.ApiOptions;
import io.linkgate.testutil.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's own files hold password hashes and key hashes: each is written whole (temporary file, fsync, rename)
 * and readable by its owner only, from the first write on.
 */
class ApiAuthFilesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close());
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void usersAndKeysFilesAreOwnerOnlyAndLeaveNoTemporaryFile(@TempDir Path dataDir) throws Exception {
    ApiAuth auth = ApiAuth.load(vertx, ApiOptions.DEFAULT, dataDir);
    Path users = dataDir.resolve(ApiAuth.USERS_FILE);
    assertThat(permissions(users)).isEqualTo("rw-------");
    assertThat(new JsonObject(Files.readString(users)).getString(ApiAuth.ADMIN)).startsWith("pbkdf2-sha256$");

    String secret = Await.result(auth.createApiKey("ci", "for CI"));
    Path keys = dataDir.resolve(ApiAuth.KEYS_FILE);
    assertThat(permissions(keys)).isEqualTo("rw-------");
    assertThat(new JsonObject(Files.readString(keys)).getJsonObject("ci").getString("hash")).isNotBlank()
      .doesNotContain(secret);
    Await.result(auth.updateApiKey("ci", false, null));
    assertThat(new JsonObject(Files.readString(keys)).getJsonObject("ci").getBoolean("enable")).isFalse();
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(ApiAuth.USERS_FILE, ApiAuth.KEYS_FILE);
    }

    // a restart reads back what was written
    ApiAuth again = ApiAuth.load(vertx, ApiOptions.DEFAULT, dataDir);
    assertThat(again.apiKey("ci").enable()).isFalse();
  }
}
