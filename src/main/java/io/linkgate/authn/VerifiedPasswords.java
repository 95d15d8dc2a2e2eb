package io.linkgate.authn;

import io.linkgate.Sha256;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Passwords that passed a PBKDF2 check, remembered so that a client reconnecting (MQTT) or calling again (API, HTTP
 * Basic) costs a SHA-256 instead of another PBKDF2. Kept as a SHA-256 under a random per-process key, and only good
 * for the stored hash it was checked against: a changed password hash invalidates it. Failures are never
 * remembered. Bounded (least recently used first out) and thread-safe: the API verticle runs on several loops.
 */
public final class VerifiedPasswords {
  private record Entry(String storedHash, byte[] digest) {
  }

  private final byte[] key = new byte[32];
  private final Map<String, Entry> entries;

  public VerifiedPasswords(int capacity) {
    new SecureRandom().nextBytes(key);
    entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True when {@code password} was verified for {@code user} against {@code storedHash} before. */
  public boolean contains(String user, String storedHash, byte[] password) {
    byte[] digest = keyed(password);
    Entry e;
    synchronized (this) {
      e = entries.get(user);
    }
    return e != null && e.storedHash().equals(storedHash) && MessageDigest.isEqual(e.digest(), digest);
  }

  /** Remembers a successful check. */
  public void add(String user, String storedHash, byte[] password) {
    Entry e = new Entry(storedHash, keyed(password));
    synchronized (this) {
      entries.put(user, e);
    }
  }

  private byte[] keyed(byte[] password) {
    MessageDigest md = Sha256.digest();
    md.update(key);
    return md.digest(password);
  }
}
