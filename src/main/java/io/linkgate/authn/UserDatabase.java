package io.linkgate.authn;

import io.linkgate.config.AuthenticationOptions;
import io.linkgate.config.AuthenticationOptions.User;
import io.linkgate.config.ConfigException;
import io.linkgate.config.ValidationError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in MQTT users: those of the authenticator's {@code users} plus those of its users file. Immutable once
 * loaded; safe to read from any thread.
 */
public final class UserDatabase {
  private final Map<String, User> users;

  public UserDatabase(List<User> users) {
    Map<String, User> byId = new HashMap<>();
    users.forEach(u -> byId.put(u.userId(), u));
    this.users = Map.copyOf(byId);
  }

  public User get(String userId) {
    return users.get(userId);
  }

  public int size() {
    return users.size();
  }

  /**
   * Reads the users file (the configured one, or {@code <dataDir>/authn-users.json} when present) and merges it
   * with the config's users. Blocking file I/O: call it at start-up, off the event loop.
   *
   * @throws ConfigException listing every problem with its place ({@code <file>[2].password_hash})
   */
  public static UserDatabase load(AuthenticationOptions.Authenticator config, Path dataDir) {
    List<User> all = new ArrayList<>(config.users());
    Path file = config.usersFile() != null ? Path.of(config.usersFile())
      : dataDir.resolve(AuthenticationOptions.DEFAULT_USERS_FILE);
    if (config.usersFile() != null || Files.isRegularFile(file)) {
      all.addAll(readFile(file, config.users()));
    }
    return new UserDatabase(all);
  }

  /** {@code [{"user_id": "alice", "password_hash": "pbkdf2-sha256$..."}, ...]}; a config user wins no tie. */
  private static List<User> readFile(Path file, List<User> configUsers) {
    List<ValidationError> errors = new ArrayList<>();
    JsonArray array;
    try {
      array = new JsonArray(Files.readString(file));
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new ConfigException(file.toString(), "cannot read the users file (a JSON array of {\"user_id\", "
        + "\"password_hash\"}): " + e.getMessage());
    }
    List<User> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = file + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject obj)) {
        errors.add(new ValidationError(at, "expected an object"));
        continue;
      }
      User u = User.fromJson(obj, at, errors);
      if (u == null) {
        continue;
      }
      if (configUsers.stream().anyMatch(c -> c.userId().equals(u.userId()))
        || out.stream().anyMatch(c -> c.userId().equals(u.userId()))) {
        errors.add(new ValidationError(at + ".user_id", "duplicate user \"" + u.userId() + "\""));
      } else {
        out.add(u);
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return out;
  }
}
