package io.linkgate.etf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Erlang binary: immutable bytes with value equality (a bare {@code byte[]} has identity
 * equality, which breaks records and map keys).
 */
public final class Binary {
  public static final Binary EMPTY = new Binary(new byte[0]);

  private final byte[] bytes;

  private Binary(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}. */
  public static Binary of(byte[] bytes) {
    return new Binary(bytes.clone());
  }

  public static Binary ofUtf8(String text) {
    return new Binary(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes ownership without copying; only for arrays nobody else holds. */
  static Binary wrap(byte[] bytes) {
    return new Binary(Objects.requireNonNull(bytes));
  }

  public int size() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** A read-only view, no copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Strict UTF-8 decoding; topics and names on the wire must be valid UTF-8. */
  public String utf8() {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new EtfException("binary is not valid UTF-8: " + TermFormatter.format(this, 80), e);
    }
  }

  void writeTo(ByteSink sink) {
    sink.write(bytes, 0, bytes.length);
  }

  int compareBytes(Binary other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return TermFormatter.format(this, 200);
  }
}
