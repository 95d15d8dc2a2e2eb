package io.linkgate.api;

import io.linkgate.Sha256;
import io.linkgate.authn.PasswordHash;
import io.linkgate.authn.VerifiedPasswords;
import io.linkgate.config.ApiOptions;
import io.linkgate.lifecycle.AtomicFileWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the API: API keys ({@code key:secret} over HTTP Basic, from {@code api.api_key.bootstrap_file}), users
 * (from the config, plus an {@code admin} whose password is generated at the first start, printed once and kept
 * hashed under {@code node.data_dir}) and bearer tokens from {@code POST /api/v5/login}. Secrets are only kept
 * hashed. Thread-safe: the API verticle may run on several event loops.
 */
public final class ApiAuth {
  private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);
  static final String ADMIN = "admin";
  static final String USERS_FILE = "api-users.json";
  static final String KEYS_FILE = "api-keys.json";

  private record Token(String username, long expiresAt) {
  }

  private final Vertx vertx;
  private final long tokenTtlMillis;
  /** username → PBKDF2 hash. */
  private final Map<String, String> users = new ConcurrentHashMap<>();
  /** An API key: its secret only as a salted SHA-256 (secrets are random and long: a fast hash is enough). */
  record ApiKey(String key, String salt, String secretHash, String desc, boolean enable, long createdAt,
                boolean fromBootstrap) {

    boolean matches(String secret) {
      return MessageDigest.isEqual(secretHash.getBytes(), Sha256.hex(salt + secret).getBytes());
    }

    JsonObject toStored() {
      return new JsonObject().put("salt", salt).put("hash", secretHash).put("desc", desc).put("enable", enable)
        .put("created_at", createdAt);
    }
  }

  /** api key → its record. */
  private final Map<String, ApiKey> apiKeys = new ConcurrentHashMap<>();
  /** Passwords verified before, so a Basic-auth user does not pay PBKDF2 per request. */
  private final VerifiedPasswords verifiedUsers = new VerifiedPasswords(1_000);
  private final AtomicFileWriter writer = new AtomicFileWriter();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  /** Where keys made through the API are kept (hashed), so they survive a restart. */
  private final Path keysFile;
  private volatile LoginThrottle throttle = LoginThrottle.defaults();
  /** Told of each lockout (the gateway counts it as a limit). */
  private volatile Runnable onLockout = () -> { };

  private ApiAuth(Vertx vertx, long tokenTtlMillis, Path keysFile) {
    this.vertx = vertx;
    this.tokenTtlMillis = tokenTtlMillis;
    this.keysFile = keysFile;
  }

  /** Loads users and keys (blocking file I/O and hashing: call off the event loop). */
  public static ApiAuth load(Vertx vertx, ApiOptions options, Path dataDir) throws IOException {
    ApiAuth auth = new ApiAuth(vertx, options.tokenTtl().toMillis(), dataDir.resolve(KEYS_FILE));
    for (ApiOptions.ApiUser u : options.users()) {
      auth.users.put(u.username(), PasswordHash.hash(u.password()));
    }
    auth.loadOrCreateAdmin(dataDir);
    if (Files.exists(auth.keysFile)) {
      new JsonObject(Files.readString(auth.keysFile)).forEach(e -> {
        JsonObject k = (JsonObject) e.getValue();
        auth.apiKeys.put(e.getKey(), new ApiKey(e.getKey(), k.getString("salt"), k.getString("hash"),
          k.getString("desc", ""), k.getBoolean("enable", true), k.getLong("created_at", 0L), false));
      });
    }
    if (!options.apiKeyBootstrapFile().isEmpty()) {
      auth.loadApiKeys(Path.of(options.apiKeyBootstrapFile()));
    }
    return auth;
  }

  private void loadOrCreateAdmin(Path dataDir) throws IOException {
    Path file = dataDir.resolve(USERS_FILE);
    if (Files.exists(file)) {
      JsonObject stored = new JsonObject(Files.readString(file));
      stored.forEach(e -> users.putIfAbsent(e.getKey(), (String) e.getValue()));
      return;
    }
    String password = PasswordHash.randomSecret();
    String hash = PasswordHash.hash(password);
    Files.createDirectories(dataDir);
    // atomic and forced to disk: a crash must not leave a half-written file that stops the next start
    writer.writeOwnerOnly(file, new JsonObject().put(ADMIN, hash).encodePrettily().getBytes(StandardCharsets.UTF_8));
    users.putIfAbsent(ADMIN, hash);
    // printed once, on purpose on stdout and not in the log: the operator needs it to log in the first time
    System.out.println("Initial API/dashboard credentials: user \"admin\", password \"" + password + "\" "
      + "(shown only this once; stored hashed in " + file + ")");
  }

  private void loadApiKeys(Path file) throws IOException {
    int line = 0;
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      String trimmed = text.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IOException(file + ":" + line + ": expected key:secret");
      }
      String key = trimmed.substring(0, colon);
      String salt = PasswordHash.randomSecret();
      apiKeys.put(key, new ApiKey(key, salt, Sha256.hex(salt + trimmed.substring(colon + 1)), "from " + file, true,
        System.currentTimeMillis(), true));
    }
    log.info("API keys loaded [file: {}, keys: {}]", file, apiKeys.size());
  }

  /** A username and address locked out after too many wrong passwords. */
  static final class LockedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long retryAfterSeconds;

    LockedOut(long retryAfterMillis) {
      super("too many failed logins; try again in " + Math.max(1, (retryAfterMillis + 999) / 1000) + " s", null,
        false, false);
      this.retryAfterSeconds = Math.max(1, (retryAfterMillis + 999) / 1000);
    }
  }

  /** Called on every lockout the API's {@link LoginThrottle} starts. */
  public void onLockout(Runnable listener) {
    this.onLockout = listener;
  }

  void throttle(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  /**
   * Verifies a user's password unless that username is locked out from {@code address}; counts failures.
   * Completes with false on a wrong password, fails with {@link LockedOut} while locked.
   */
  Future<Boolean> login(String username, String password, String address) {
    long wait = throttle.lockedFor(username, address, System.currentTimeMillis());
    if (wait > 0) {
      return Future.failedFuture(new LockedOut(wait));
    }
    return checkUser(username, password).map(ok -> {
      if (ok) {
        throttle.succeeded(username, address);
      } else if (throttle.failed(username, address, System.currentTimeMillis())) {
        log.warn("API login locked out after repeated failures [username: {}, peer: {}]", username, address);
        onLockout.run();
      }
      return ok;
    });
  }

  /** Checks an {@code Authorization} header; completes with the principal's name, or null when refused. */
  Future<String> authenticate(String header) {
    return authenticate(header, "");
  }

  /**
   * Like {@link #authenticate(String)}; HTTP Basic passwords count against the same per-address lockout as
   * {@code POST /login}, so Basic is no way around it.
   */
  Future<String> authenticate(String header, String address) {
    if (header == null) {
      return Future.succeededFuture(null);
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Token t = tokens.get(header.substring(7).strip());
      if (t == null || t.expiresAt() < System.currentTimeMillis()) {
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(t.username());
    }
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Future.succeededFuture(null);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(null);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Future.succeededFuture(null);
    }
    String name = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    long wait = throttle.lockedFor(name, address, System.currentTimeMillis());
    if (wait > 0) {
      return Future.failedFuture(new LockedOut(wait));
    }
    ApiKey apiKey = apiKeys.get(name);
    if (apiKey != null) {
      boolean ok = apiKey.enable() && apiKey.matches(secret);
      if (!ok && throttle.failed(name, address, System.currentTimeMillis())) {
        onLockout.run();
      }
      return Future.succeededFuture(ok ? name : null);
    }
    return login(name, secret, address).map(ok -> ok ? name : null);
  }

  /** Verifies a user's password (PBKDF2 on a worker thread). */
  Future<Boolean> checkUser(String username, String password) {
    String stored = users.get(username);
    if (stored == null) {
      // the same hash work as for a real user: the answer's timing must not tell which user names exist
      return vertx.executeBlocking(() -> {
        PasswordHash.verify(password, PasswordHash.unknownUserHash());
        return false;
      }, false);
    }
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (verifiedUsers.contains(username, stored, bytes)) {
      return Future.succeededFuture(true);
    }
    return vertx.executeBlocking(() -> PasswordHash.verify(password, stored), false).map(ok -> {
      if (ok) {
        verifiedUsers.add(username, stored, bytes);
      }
      return ok;
    });
  }

  /** A new bearer token for a user who just logged in. */
  String issueToken(String username) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.put(token, new Token(username, System.currentTimeMillis() + tokenTtlMillis));
    tokens.values().removeIf(t -> t.expiresAt() < System.currentTimeMillis());
    return token;
  }

  /** Creates an API key; completes with its secret, which is shown this once and kept only hashed. */
  Future<String> createApiKey(String key, String desc) {
    String secret = PasswordHash.randomSecret();
    String salt = PasswordHash.randomSecret();
    if (apiKeys.putIfAbsent(key, new ApiKey(key, salt, Sha256.hex(salt + secret), desc, true,
      System.currentTimeMillis(), false)) != null) {
      return Future.failedFuture(new ApiException(400, "ALREADY_EXISTS", "API key already exists"));
    }
    return saveKeys().map(secret);
  }

  /**
   * Writes the API-made keys (hashes only) atomically and durably, owner-readable only, on a worker. Each save
   * writes the keys as they are when it runs, one save at a time: the last one leaves the latest keys on disk.
   */
  private Future<Void> saveKeys() {
    return vertx.executeBlocking(() -> {
      synchronized (writer) {
        JsonObject stored = new JsonObject();
        apiKeys.values().stream().filter(k -> !k.fromBootstrap()).forEach(k -> stored.put(k.key(), k.toStored()));
        Files.createDirectories(keysFile.getParent());
        writer.writeOwnerOnly(keysFile, stored.encodePrettily().getBytes(StandardCharsets.UTF_8));
      }
      return null;
    }, false);
  }

  java.util.List<ApiKey> apiKeys() {
    return java.util.List.copyOf(apiKeys.values());
  }

  ApiKey apiKey(String key) {
    ApiKey k = apiKeys.get(key);
    if (k == null) {
      throw ApiException.notFound("API key not found");
    }
    return k;
  }

  Future<ApiKey> updateApiKey(String key, Boolean enable, String desc) {
    ApiKey k = apiKey(key);
    ApiKey updated = new ApiKey(k.key(), k.salt(), k.secretHash(), desc == null ? k.desc() : desc,
      enable == null ? k.enable() : enable, k.createdAt(), k.fromBootstrap());
    apiKeys.put(key, updated);
    return saveKeys().map(updated);
  }

  Future<Void> deleteApiKey(String key) {
    if (apiKeys.remove(key) == null) {
      return Future.failedFuture(ApiException.notFound("API key not found"));
    }
    return saveKeys();
  }

  long tokenTtlMillis() {
    return tokenTtlMillis;
  }
}
