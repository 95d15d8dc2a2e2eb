package io.linkgate.link.wire;

import static io.linkgate.link.wire.MessageRecords.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.broker.Message;
import io.linkgate.etf.ErlangInterop;
import io.linkgate.etf.ErlangInterop.Case;
import io.linkgate.etf.ErlangInterop.Result;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfLimits;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct record codec against a real Erlang VM: for random messages, Erlang decodes our bytes with
 * {@code binary_to_term(B, [safe])}, OTP's {@code term_to_binary} of the same record is byte for byte ours, and we
 * decode OTP's bytes (plain and compressed) into the same message. One VM start.
 */
@Timeout(300)
class MessageRecordErlangTest {
  private static final long NOW = 1_754_550_100_000L;
  private static final Map<String, Message> MESSAGES = new LinkedHashMap<>();
  private static final Map<String, byte[]> OURS = new LinkedHashMap<>();
  private static Map<String, Result> results;

  @BeforeAll
  static void runErlang(@TempDir Path dir) throws Exception {
    Random r = new Random(1313);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Message m = MessageRecords.random(r);
      long hi = r.nextLong();
      long lo = r.nextLong();
      byte[] ours = MessageRecord.encode(m, hi, lo);
      String name = String.format("m%03d", i);
      MESSAGES.put(name, m);
      OURS.put(name, ours);
      String expr = Etf.format(MessageRecords.forwarded(m, hi, lo).toTerm());
      cases.add(new Case(name, expr, ours, Etf.compressIfSmaller(ours)));
    }
    results = ErlangInterop.run(dir, cases);
  }

  @BeforeEach
  void erlangRan() {
    ErlangInterop.assumeRan(results);
  }

  @Test
  void erlangDecodesOurRecordsSafely() {
    for (Result r : results.values()) {
      assertThat(r.decode()).as(r.name()).isEqualTo("ok");
      assertThat(r.decodeCompressed()).as(r.name() + " compressed").isEqualTo("ok");
    }
  }

  @Test
  void ourBytesAreOtpsTermToBinary() {
    for (Result r : results.values()) {
      assertThat(OURS.get(r.name())).as(r.name()).isEqualTo(r.otp());
      assertThat(r.bytesEqual()).as(r.name()).isTrue();
    }
  }

  @Test
  void weDecodeOtpsRecordsIntoTheMessagesSent() {
    for (Result r : results.values()) {
      Message expected = MessageRecord.toMessage(ForwardedMessage.decode(OURS.get(r.name())), "peer", NOW);
      for (byte[] otp : List.of(r.otp(), r.otpCompressed())) {
        MessageRecord.Decoded d = MessageRecord.decodeDirect(otp, 0, otp.length, null, "peer", NOW,
            EtfLimits.DEFAULT);
        assertThat(fields(d.message())).as(r.name()).isEqualTo(fields(expected));
        assertThat(fields(MessageRecord.decode(Buffer.buffer(otp), "peer", NOW, EtfLimits.DEFAULT).message()))
            .as(r.name()).isEqualTo(fields(expected));
      }
      Message sent = MESSAGES.get(r.name());
      assertThat(expected.payload().getBytes()).isEqualTo(sent.payload().getBytes());
      assertThat(expected.qos()).isEqualTo(sent.qos());
    }
  }
}
