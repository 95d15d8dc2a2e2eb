package io.linkgate.etf;

import java.util.Objects;

/**
 * Entry point: encode Java terms to Erlang External Term Format and decode untrusted ETF bytes.
 *
 * <p>Term mapping: {@link Atom}; {@link Binary}; integers as {@code Long}, or {@code BigInteger}
 * outside the long range ({@code Integer}, {@code Short}, {@code Byte} are accepted when
 * encoding); {@code Double}; {@link Tuple}; {@code java.util.List} for proper lists ({@code []} is
 * the empty list, and a string decodes to a list of {@code Long}); {@link ImproperList};
 * {@code java.util.Map}; {@link OpaqueTerm} for pids, ports, references, funs and bitstrings. {@code Boolean} is
 * encoded as the atoms {@code true}/{@code false} but always decodes as an {@link Atom}.
 */
public final class Etf {
  private Etf() {
  }

  /** Plain encoding, byte-identical to OTP's {@code term_to_binary(T, [{minor_version, 2}])}. */
  public static byte[] encode(Object term) {
    return EtfEncoder.encode(term, EtfLimits.DEFAULT.maxDepth());
  }

  /**
   * Like OTP's {@code term_to_binary(T, [compressed])}: the zlib form (tag 80) when it is no
   * longer than the plain encoding, the plain encoding otherwise. This is what EMQX 6.0.3+ sends
   * on every {@code $LINK} topic (EMQX 5.x sends the plain encoding).
   */
  public static byte[] encodeCompressed(Object term) {
    return Zlib.compressIfSmaller(encode(term));
  }

  /** What {@link #encodeCompressed} returns, for a term already encoded with {@link #encode}. */
  public static byte[] compressIfSmaller(byte[] plain) {
    return Zlib.compressIfSmaller(plain);
  }

  /** Decodes with {@link EtfLimits#DEFAULT}; accepts the plain and the compressed form. */
  public static Object decode(byte[] bytes) {
    return decode(bytes, EtfLimits.DEFAULT);
  }

  /**
   * Decodes exactly one term (trailing bytes are an error, stricter than OTP).
   *
   * @throws EtfException if the bytes are not a well-formed term within {@code limits}
   */
  public static Object decode(byte[] bytes, EtfLimits limits) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(limits, "limits");
    return EtfDecoder.decode(bytes, limits);
  }

  /** Erlang source syntax, for logs and error messages. */
  public static String format(Object term) {
    return TermFormatter.format(term);
  }

  /** Erlang source syntax cut after about {@code maxChars} characters. */
  public static String format(Object term, int maxChars) {
    return TermFormatter.format(term, maxChars);
  }
}
