package io.linkgate.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed and malicious inputs: always an EtfException, quickly, with no large allocation. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EtfHostileInputTest {
  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static void rejects(byte[] input, String messagePart) {
    assertThatThrownBy(() -> Etf.decode(input)).isInstanceOf(EtfException.class)
        .hasMessageContaining(messagePart);
  }

  private static byte[] zlib(byte[] data) throws Exception {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
      d.write(data);
    }
    return z.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void emptyOrWrongVersion() {
    rejects(new byte[0], "empty");
    rejects(b(130, 97, 1), "bad version byte 130 at offset 0");
  }

  @Test
  void unknownAndUnsupportedTagsNameTheTagAndOffset() {
    rejects(b(131, 104, 2, 97, 1, 200), "unsupported tag 200 (unknown) at offset 5");
    rejects(b(131, 112, 0, 0, 0, 0), "tag 112 (NEW_FUN_EXT) at offset 1");
    rejects(b(131, 103, 119, 1, 'n', 0, 0, 0, 1, 0, 0, 0, 0, 0), "PID_EXT");
    rejects(b(131, 104, 1, 80, 0, 0, 0, 1), "COMPRESSED");
  }

  @Test
  void trailingBytesAreRejected() {
    rejects(b(131, 97, 1, 0), "1 trailing bytes after the term at offset 3");
  }

  /** Every cut of the small fixtures; for the large ones every 7th cut and the last 32. */
  @Test
  void truncatedFixturesAreRejected() {
    int checked = 0;
    for (String name : EtfFixtureTerms.all().keySet()) {
      for (String suffix : new String[] {".etf", ".z.etf"}) {
        byte[] full = EtfFixtureTerms.read(name + suffix);
        for (int len = 1; len < full.length; len++) {
          if (full.length > 1024 && len % 7 != 0 && len < full.length - 32) {
            continue;
          }
          byte[] cut = Arrays.copyOf(full, len);
          assertThatThrownBy(() -> Etf.decode(cut)).as(name + suffix + " cut at " + cut.length)
              .isInstanceOf(EtfException.class);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(5000);
  }

  @ParameterizedTest
  @ValueSource(ints = {109, 105, 108, 116, 111})
  void hugeDeclaredLengthsAreCheckedBeforeAllocating(int tag) {
    rejects(b(131, tag, 255, 255, 255, 255, 0, 0), "declares 4294967");
  }

  @Test
  void hugeDeclaredShortLengths() {
    rejects(b(131, 107, 255, 255, 1), "string declares 65535 elements but only 1 bytes remain");
    rejects(b(131, 118, 255, 255, 'a'), "atom declares 65535 bytes");
    rejects(b(131, 110, 255, 0, 1), "bignum declares 255 bytes");
  }

  @Test
  void deepNestingIsBounded() {
    for (int[] unit : new int[][] {{104, 1}, {108, 0, 0, 0, 1}, {116, 0, 0, 0, 1, 106}}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(131);
      for (int i = 0; i < 200_000; i++) {
        out.writeBytes(b(unit));
      }
      rejects(out.toByteArray(), "nesting deeper than 64");
    }
    assertThat(Etf.decode(nestedTuples(64))).isNotNull();
    rejects(nestedTuples(65), "nesting deeper than 64");
    assertThat(Etf.decode(nestedTuples(200), EtfLimits.DEFAULT.withMaxDepth(200))).isNotNull();
  }

  private static byte[] nestedTuples(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(131);
    for (int i = 0; i < depth; i++) {
      out.writeBytes(b(104, 1));
    }
    out.write(106);
    return out.toByteArray();
  }

  @Test
  void chainedListTailsCountAsNesting() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(131);
    for (int i = 0; i < 1000; i++) {
      out.writeBytes(b(108, 0, 0, 0, 1, 97, 1));
    }
    out.write(106);
    rejects(out.toByteArray(), "nesting deeper than 64");
  }

  @Test
  void termCountIsBounded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b(131, 108, 0, 4, 0x93, 0xE0)); // 300 000 elements
    for (int i = 0; i <= 300_000; i++) {
      out.write(106);
    }
    rejects(out.toByteArray(), "exceeds the limit of 200000 terms");
    EtfLimits small = EtfLimits.DEFAULT.withMaxTerms(100);
    assertThatThrownBy(() -> Etf.decode(Etf.encode(java.util.Collections.nCopies(200, 1L)), small))
        .isInstanceOf(EtfException.class).hasMessageContaining("100 terms");
  }

  @Test
  void inputSizeIsBounded() {
    byte[] big = Etf.encode(Binary.of(new byte[2000]));
    assertThatThrownBy(() -> Etf.decode(big, EtfLimits.DEFAULT.withMaxBytes(1000)))
        .isInstanceOf(EtfException.class).hasMessageContaining("exceeds the limit of 1000");
  }

  @Test
  void compressedSizeHeaderIsBounded() {
    rejects(b(131, 80, 255, 255, 255, 255, 0x78, 0x9C), "declares 4294967295 uncompressed bytes");
    rejects(b(131, 80, 0, 0, 0, 0, 0x78, 0x9C), "declares 0 uncompressed bytes");
    rejects(b(131, 80, 0, 0), "truncated compressed header");
    byte[] z = concat(b(131, 80, 0, 0x10, 0, 0), new byte[] {0x78, (byte) 0x9C});
    assertThatThrownBy(() -> Etf.decode(z, EtfLimits.DEFAULT.withMaxBytes(4096)))
        .isInstanceOf(EtfException.class).hasMessageContaining("limit 4096");
  }

  @Test
  void zipBombStopsAtTheDeclaredSize() throws Exception {
    byte[] inner = new byte[8 << 20]; // 8 MiB of zeros, about 8 KiB compressed
    inner[0] = 109;
    byte[] wire = concat(b(131, 80, 0, 0, 1, 0), zlib(inner));
    rejects(wire, "inflates to more than the declared 256 bytes");
  }

  @Test
  void compressedSizeMismatchesAreRejected() throws Exception {
    byte[] plain = Etf.encode(T.bin("hello world"));
    byte[] body = Arrays.copyOfRange(plain, 1, plain.length);
    int n = body.length;
    rejects(concat(b(131, 80, 0, 0, 0, n + 5), zlib(body)), "inflates to " + n);
    rejects(concat(b(131, 80, 0, 0, 0, n - 1), zlib(body)), "more than the declared");
    byte[] z = zlib(body);
    rejects(concat(b(131, 80, 0, 0, 0, n), Arrays.copyOf(z, z.length - 6)), "truncated");
    rejects(concat(b(131, 80, 0, 0, 0, n), z, b(1, 2)), "trailing bytes after the compressed");
    rejects(concat(b(131, 80, 0, 0, 0, n), b(1, 2, 3, 4, 5, 6, 7, 8)), "bad compressed data");
    // The inflated bytes are checked like any other input.
    byte[] innerTrailing = concat(body, b(97));
    rejects(concat(b(131, 80, 0, 0, 0, n + 1), zlib(innerTrailing)),
        "trailing bytes after the term at offset " + n + " of the inflated term");
  }

  @Test
  void badValues() {
    rejects(b(131, 119, 2, 0xC3, 0x28), "atom is not valid UTF-8");
    byte[] longAtom = new byte[4 + 300];
    System.arraycopy(b(131, 100, 1, 44), 0, longAtom, 0, 4);
    Arrays.fill(longAtom, 4, longAtom.length, (byte) 'a');
    rejects(longAtom, "atom longer than 255");
    rejects(b(131, 70, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0), "non-finite float");
    rejects(b(131, 70, 0x7F, 0xF8, 0, 0, 0, 0, 0, 1), "non-finite float");
    rejects(b(131, 116, 0, 0, 0, 2, 97, 1, 97, 1, 97, 1, 97, 2), "duplicate map key 1");
    rejects(b(131, 110, 1, 2, 5), "bad bignum sign byte 2");
    rejects(b(131, 90, 0, 0, 119, 1, 'n', 0, 0, 0, 0), "reference with 0 id words");
    rejects(b(131, 88, 97, 1), "node of a pid/port/reference is not an atom");
  }

  /** Random corruption of valid encodings: decode succeeds or throws EtfException, nothing else. */
  @Test
  void fuzzedInputsOnlyEverThrowEtfException() {
    Random rnd = new Random(42);
    byte[][] seeds = EtfFixtureTerms.all().keySet().stream()
        .flatMap(n -> java.util.stream.Stream.of(n + ".etf", n + ".z.etf"))
        .map(EtfFixtureTerms::read).toArray(byte[][]::new);
    for (int i = 0; i < 10_000; i++) {
      byte[] in = seeds[rnd.nextInt(seeds.length)].clone();
      int flips = 1 + rnd.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = 1 + rnd.nextInt(in.length - 1 > 0 ? in.length - 1 : 1);
        if (at < in.length) {
          in[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : in[at] ^ (1 << rnd.nextInt(8)));
        }
      }
      try {
        Etf.decode(in);
      } catch (EtfException expected) {
        // fine
      } catch (RuntimeException | Error e) {
        fail("input " + T.hex(in) + " threw " + e, e);
      }
    }
  }
}
