package io.linkgate.etf;

/**
 * Bounds applied while decoding untrusted bytes.
 *
 * @param maxBytes largest accepted input and largest declared/inflated size of a compressed term
 * @param maxDepth deepest nesting of tuples, lists and maps (keeps recursion far from a
 *     StackOverflowError)
 * @param maxTerms most terms in one decoded value; caps the Java heap a small input can claim
 *     (a two-byte small integer becomes a boxed Long)
 */
public record EtfLimits(int maxBytes, int maxDepth, int maxTerms) {
  /**
   * 16 MiB covers MQTT payloads well above EMQX's 1 MiB default packet size; depth 64 and
   * 200k terms leave ample room for route batches (4000 entries, about 3 terms each).
   */
  public static final EtfLimits DEFAULT = new EtfLimits(16 << 20, 64, 200_000);

  public EtfLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be > 0");
    }
    if (maxDepth < 1 || maxDepth > 10_000) {
      throw new IllegalArgumentException("maxDepth must be in 1..10000");
    }
    if (maxTerms < 1) {
      throw new IllegalArgumentException("maxTerms must be > 0");
    }
  }

  public EtfLimits withMaxBytes(int value) {
    return new EtfLimits(value, maxDepth, maxTerms);
  }

  public EtfLimits withMaxDepth(int value) {
    return new EtfLimits(maxBytes, value, maxTerms);
  }

  public EtfLimits withMaxTerms(int value) {
    return new EtfLimits(maxBytes, maxDepth, value);
  }
}
