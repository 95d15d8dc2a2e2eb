package io.linkgate.config;

import io.linkgate.authn.PasswordHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code authentication = [ {...} ]}: EMQX's authentication chain. Linkgate has one authenticator type,
 * {@code mechanism = password_based, backend = built_in_database} with {@code user_id_type = username}: users come
 * from {@code users} in the config and from a JSON file ({@code users_file}, by default
 * {@code <node.data_dir>/authn-users.json} when it exists). An empty chain (the default) admits every client, as
 * EMQX does; per listener, {@code enable_authn} and {@code allow_anonymous} refine that ({@link ListenerOptions}).
 *
 * @param authenticators at most one (the chain holds one authenticator per mechanism and backend, as in EMQX)
 */
public record AuthenticationOptions(List<Authenticator> authenticators) {

  public static final AuthenticationOptions NONE = new AuthenticationOptions(List.of());
  public static final String MECHANISM = "password_based";
  public static final String BACKEND = "built_in_database";
  public static final String USER_ID_TYPE = "username";
  /** Where {@code users_file} points when it is not set, relative to {@code node.data_dir}. */
  public static final String DEFAULT_USERS_FILE = "authn-users.json";

  public AuthenticationOptions {
    authenticators = List.copyOf(authenticators);
  }

  /** The enabled authenticator, or null when clients are not authenticated. */
  public Authenticator active() {
    return authenticators.stream().filter(Authenticator::enable).findFirst().orElse(null);
  }

  /** Reads the array at {@code key} of {@code f}'s object. */
  static AuthenticationOptions read(Fields f, String key, List<ValidationError> errors) {
    JsonArray array = f.array(key);
    if (array == null) {
      return NONE;
    }
    List<Authenticator> out = new ArrayList<>();
    String path = f.path(key);
    for (int i = 0; i < array.size(); i++) {
      String at = Fields.index(path, i);
      if (!(array.getValue(i) instanceof JsonObject obj)) {
        errors.add(new ValidationError(at, "expected an object, got " + Fields.describe(array.getValue(i))));
        continue;
      }
      Authenticator a = Authenticator.fromJson(obj, at, errors);
      if (a != null) {
        out.add(a);
      }
    }
    if (array.size() > 1) {
      errors.add(new ValidationError(path, "at most one authenticator: Linkgate has only " + MECHANISM + " with "
          + BACKEND + ", and a chain holds one per mechanism and backend"));
    }
    return new AuthenticationOptions(out);
  }

  public JsonArray toJson(boolean redactSecrets) {
    JsonArray out = new JsonArray();
    authenticators.forEach(a -> out.add(a.toJson(redactSecrets)));
    return out;
  }

  /**
   * One {@code password_based} / {@code built_in_database} authenticator.
   *
   * @param usersFile JSON file of more users ({@code [{"user_id": ..., "password_hash": ...}]}); null for the
   *     default {@value #DEFAULT_USERS_FILE} under {@code node.data_dir}, read only if present
   */
  public record Authenticator(boolean enable, List<User> users, String usersFile) {

    public Authenticator {
      users = List.copyOf(users);
    }

    static Authenticator fromJson(JsonObject json, String path, List<ValidationError> errors) {
      Fields f = new Fields(json, path, errors);
      String mechanism = f.requiredString("mechanism");
      if (mechanism != null && !mechanism.equals(MECHANISM)) {
        f.error("mechanism", "only \"" + MECHANISM + "\" is supported, got \"" + mechanism + "\"");
      }
      String backend = f.requiredString("backend");
      if (backend != null && !backend.equals(BACKEND)) {
        f.error("backend", "only \"" + BACKEND + "\" is supported, got \"" + backend + "\"");
      }
      boolean enable = f.bool("enable", true);
      f.oneOf("user_id_type", USER_ID_TYPE, List.of(USER_ID_TYPE));
      List<User> users = new ArrayList<>();
      JsonArray array = f.array("users");
      Set<String> seen = new HashSet<>();
      for (int i = 0; array != null && i < array.size(); i++) {
        String at = Fields.index(f.path("users"), i);
        if (!(array.getValue(i) instanceof JsonObject obj)) {
          errors.add(new ValidationError(at, "expected an object, got " + Fields.describe(array.getValue(i))));
          continue;
        }
        User u = User.fromJson(obj, at, errors);
        if (u != null && !seen.add(u.userId())) {
          errors.add(new ValidationError(at + ".user_id", "duplicate user \"" + u.userId() + "\""));
        } else if (u != null) {
          users.add(u);
        }
      }
      String usersFile = f.string("users_file", null);
      if (usersFile != null) {
        String problem = usersFile.isBlank() ? "must not be empty" : PemSource.checkFile(usersFile);
        if (problem != null) {
          f.error("users_file", problem);
        }
      }
      return f.result(() -> new Authenticator(enable, users, usersFile));
    }

    public JsonObject toJson(boolean redactSecrets) {
      JsonArray usersJson = new JsonArray();
      users.forEach(u -> usersJson.add(u.toJson(redactSecrets)));
      JsonObject json = new JsonObject().put("mechanism", MECHANISM).put("backend", BACKEND).put("enable", enable)
          .put("user_id_type", USER_ID_TYPE).put("users", usersJson);
      Fields.putIfSet(json, "users_file", usersFile);
      return json;
    }
  }

  /**
   * A user: {@code password_hash} (from {@code java -jar linkgate.jar hash-password}) or, less safely,
   * {@code password} in clear text.
   */
  public record User(String userId, String password, String passwordHash) {

    public User {
      Objects.requireNonNull(userId, "userId");
      if ((password == null) == (passwordHash == null)) {
        throw new IllegalArgumentException("exactly one of password and passwordHash");
      }
    }

    /** Read from a users file or the config; errors go to {@code path}. */
    public static User fromJson(JsonObject json, String path, List<ValidationError> errors) {
      Fields f = new Fields(json, path, errors);
      String userId = f.requiredString("user_id");
      if (userId != null && userId.isEmpty()) {
        f.error("user_id", "must not be empty");
      }
      String password = f.secret("password");
      String hash = f.string("password_hash", null);
      if (password == null && hash == null) {
        f.error("password_hash", Fields.MISSING + " (or password)");
      } else if (password != null && hash != null) {
        f.error("password", "give either password or password_hash, not both");
      } else if (hash != null && PasswordHash.checkFormat(hash) != null) {
        f.error("password_hash", PasswordHash.checkFormat(hash));
      } else if (password != null && password.isEmpty()) {
        f.error("password", "must not be empty");
      }
      return f.result(() -> new User(userId, password, hash));
    }

    public JsonObject toJson(boolean redactSecrets) {
      JsonObject json = new JsonObject().put("user_id", userId);
      Fields.putIfSet(json, "password", password == null || !redactSecrets ? password : LinkOptions.REDACTED);
      // a hash is a secret too: it allows an offline guess of the password
      Fields.putIfSet(json, "password_hash", passwordHash == null || !redactSecrets ? passwordHash : LinkOptions.REDACTED);
      return json;
    }

    @Override
    public String toString() {
      return "User" + toJson(true).encode();
    }
  }
}
