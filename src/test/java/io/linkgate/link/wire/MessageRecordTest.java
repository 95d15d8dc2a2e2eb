package io.linkgate.link.wire;

import static io.linkgate.link.wire.MessageRecords.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkgate.broker.Message;
import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfLimits;
import io.linkgate.etf.Tuple;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The direct {@code #message{}} codec against the generic one, which the OTP tests pin to {@code term_to_binary}:
 * the same bytes out, the same message in, for random messages and for the odd records EMQX 5.x sends; and
 * truncated or corrupted input always ends in a {@link LinkPayloadException}.
 */
@Timeout(120)
class MessageRecordTest {
  private static final long NOW = 1_754_550_100_000L;

  private static Message generic(byte[] bytes) {
    return MessageRecord.toMessage(ForwardedMessage.decode(bytes), "peer", NOW);
  }

  private static MessageRecord.Decoded direct(byte[] bytes) {
    return MessageRecord.decodeDirect(bytes, 0, bytes.length, Buffer.buffer(bytes), "peer", NOW, EtfLimits.DEFAULT);
  }

  @Test
  void randomMessagesEncodeToTheGenericCodecsBytesAndDecodeBack() {
    Random r = new Random(13);
    for (int i = 0; i < 3000; i++) {
      Message m = MessageRecords.random(r);
      long hi = r.nextLong();
      long lo = r.nextLong();
      byte[] ours = MessageRecord.encode(m, hi, lo);
      assertThat(ours).as("message %d", i).isEqualTo(Etf.encode(MessageRecords.forwarded(m, hi, lo).toTerm()));
      assertThat(fields(direct(ours).message())).as("message %d", i).isEqualTo(fields(generic(ours)));
      byte[] compressed = Etf.compressIfSmaller(ours);
      assertThat(fields(direct(compressed).message())).as("compressed %d", i).isEqualTo(fields(generic(ours)));
    }
  }

  @Test
  void aDecodedMessageIsTheMessageThatWasSent() {
    Message m = new Message("a/ü", Buffer.buffer("hello"), 2, true, 1, "text/plain", "re/ply", new byte[] {0, 1, -1},
        List.of(new io.netty.handler.codec.mqtt.MqttProperties.StringPair("k", "v")), "pub-1", null,
        NOW - 5_000, NOW + 55_000);
    Message back = MessageRecord.decode(Buffer.buffer(MessageRecord.encode(m)), "B", NOW, EtfLimits.DEFAULT).message();
    Message expected = new Message(m.topic(), m.payload(), 2, true, 1, "text/plain", "re/ply", m.correlationData(),
        m.userProperties(), "pub-1", "B", NOW - 5_000, NOW + 55_000);
    assertThat(fields(back)).isEqualTo(fields(expected));
  }

  @Test
  void thePayloadIsASliceOfTheReceivedBufferNotACopy() {
    Message m = Message.simple("t", Buffer.buffer("0123456789abcdef".repeat(4)), 1, false, "c");
    Buffer received = Buffer.buffer(MessageRecord.encode(m));
    Message back = MessageRecord.decode(received, "B", NOW, EtfLimits.DEFAULT).message();
    byte[] receivedArray = ((BufferInternal) received).getByteBuf().array();
    assertThat(((BufferInternal) back.payload()).getByteBuf().array()).isSameAs(receivedArray);
    assertThat(back.payload().toString()).isEqualTo(m.payload().toString());
  }

  @Test
  void aBufferThatIsASliceOfALargerArrayDecodes() {
    Message m = Message.simple("t/slice", Buffer.buffer("payload"), 0, false, "c");
    byte[] record = MessageRecord.encode(m);
    Buffer big = Buffer.buffer().appendString("junk-before").appendBytes(record).appendString("junk-after");
    Buffer slice = big.slice(11, 11 + record.length);
    Message back = MessageRecord.decode(slice, "B", NOW, EtfLimits.DEFAULT).message();
    assertThat(back.topic()).isEqualTo("t/slice");
    assertThat(back.payload().toString()).isEqualTo("payload");
  }

  /** Records the way EMQX 5.x and 6.x build them, in Java terms: each must take the direct walk, no fallback. */
  @Test
  void theOddRecordsOfEmqxTakeTheDirectWalkAndMatchTheGenericCodec() {
    Binary id = MessageRecords.id(1, 2);
    Map<Object, Object> headers = new LinkedHashMap<>();
    headers.put(Atom.of("proto_ver"), 5L);
    headers.put(Atom.of("peerhost"), Tuple.of(127L, 0L, 0L, 1L));
    headers.put(Binary.ofUtf8("not-an-atom-key"), List.of(1L, 2L));
    Map<Object, Object> props = new LinkedHashMap<>();
    props.put(Atom.of("User-Property"), List.of(Tuple.of(Binary.ofUtf8("k"), Binary.ofUtf8("v")),
        Tuple.of(Binary.of(new byte[] {'c', (byte) 0xE9}), Binary.ofUtf8("x")),
        Tuple.of(Binary.ofUtf8("nul"), Binary.of(new byte[] {'a', 0}))));
    props.put(Atom.of("Content-Type"), Binary.of(new byte[] {(byte) 0xFF}));
    props.put(Atom.of("Topic-Alias"), 3L);
    props.put(Atom.of("Message-Expiry-Interval"), 0xFFFFFFFFL);
    headers.put(Atom.of("properties"), props);
    Map<Object, Object> flags = new LinkedHashMap<>();
    flags.put(Atom.of("sys"), Atom.TRUE);
    flags.put(Atom.of("retain"), Atom.TRUE);
    Map<Object, Object> extra = Map.of(Atom.of("trace"), Tuple.of(Atom.of("ctx"), List.of(Binary.ofUtf8("x"))));
    List<Object> records = List.of(
        Tuple.of(Atom.of("message"), id, 1L, Binary.ofUtf8("dev"), flags, headers, Binary.ofUtf8("t/x"),
            Binary.ofUtf8("p"), 1_754_550_000_123L, extra),
        Tuple.of(Atom.of("message"), id, 0L, Atom.of("emqx_sys"), Map.of(), Map.of(), Binary.ofUtf8("$SYS/x"),
            List.of(Binary.ofUtf8("hel"), 108L, List.of(Binary.ofUtf8("o"))), 0L, Map.of()),
        Tuple.of(Atom.of("message"), id, 2L, Binary.of(new byte[] {'d', (byte) 0xE9}), Map.of(),
            Map.of(Atom.of("properties"), Map.of()), Binary.ofUtf8("t"), List.of(97L, 98L), -5L, Map.of()));
    for (Object t : records) {
      byte[] bytes = Etf.encode(t);
      MessageRecord.Decoded d = direct(bytes);
      DecodedMessage g = ForwardedMessage.decodeWithReport(bytes);
      assertThat(fields(d.message())).as(Etf.format(t, 200))
          .isEqualTo(fields(MessageRecord.toMessage(g.message(), "peer", NOW)));
      assertThat(d.droppedProperties()).isEqualTo(g.droppedProperties());
    }
    assertThat(direct(Etf.encode(records.get(0))).droppedProperties())
        .containsExactly("User-Property", "User-Property", "Content-Type");
  }

  @Test
  void malformedRecordsGetTheGenericCodecsError() {
    Binary id = MessageRecords.id(1, 2);
    Object badQos = Tuple.of(Atom.of("message"), id, 3L, Binary.ofUtf8("d"), Map.of(), Map.of(),
        Binary.ofUtf8("t"), Binary.EMPTY, 1L, Map.of());
    Object badTopic = Tuple.of(Atom.of("message"), id, 1L, Binary.ofUtf8("d"), Map.of(), Map.of(),
        Binary.of(new byte[] {(byte) 0xE9}), Binary.EMPTY, 1L, Map.of());
    Object extraNotMap = Tuple.of(Atom.of("message"), id, 1L, Binary.ofUtf8("d"), Map.of(), Map.of(),
        Binary.ofUtf8("t"), Binary.EMPTY, 1L, Atom.UNDEFINED);
    for (Object t : List.of(badQos, badTopic, extraNotMap)) {
      byte[] bytes = Etf.encode(t);
      String expected = catchMessage(() -> ForwardedMessage.decode(bytes));
      assertThatThrownBy(() -> MessageRecord.decode(Buffer.buffer(bytes), "p", NOW, EtfLimits.DEFAULT))
          .isInstanceOf(LinkPayloadException.class).hasMessage(expected);
    }
  }

  @Test
  void everyTruncationIsRefusedCleanly() {
    Random r = new Random(7);
    for (int i = 0; i < 30; i++) {
      byte[] whole = MessageRecord.encode(MessageRecords.random(r));
      int step = Math.max(1, whole.length / 400);
      for (int n = 0; n < whole.length; n += step) {
        byte[] cut = java.util.Arrays.copyOf(whole, n);
        assertThatThrownBy(() -> MessageRecord.decode(Buffer.buffer(cut), "p", NOW, EtfLimits.DEFAULT))
            .as("%d of %d bytes", n, whole.length).isInstanceOf(LinkPayloadException.class);
      }
    }
  }

  @Test
  void corruptedBytesGiveTheGenericOutcome() {
    Random r = new Random(11);
    int directlyRead = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = MessageRecord.encode(MessageRecords.random(r));
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
      }
      String genericOutcome;
      try {
        genericOutcome = fields(generic(bytes)).toString();
      } catch (LinkPayloadException e) {
        genericOutcome = "error " + e.getMessage();
      }
      // the walk alone, without the fallback: what it reads must be what the generic codec reads, and what it
      // refuses the generic codec must refuse too (so the fallback only ever supplies the error message)
      String directOutcome;
      try {
        directOutcome = fields(direct(bytes).message()).toString();
        directlyRead++;
      } catch (RuntimeException e) {
        directOutcome = genericOutcome.startsWith("error ") ? genericOutcome : "direct refused: " + e;
      }
      assertThat(directOutcome).as("case %d", i).isEqualTo(genericOutcome);
      String viaDecode;
      try {
        viaDecode = fields(MessageRecord.decode(Buffer.buffer(bytes), "peer", NOW, EtfLimits.DEFAULT).message())
            .toString();
      } catch (LinkPayloadException e) {
        viaDecode = "error " + e.getMessage();
      }
      assertThat(viaDecode).as("case %d", i).isEqualTo(genericOutcome);
    }
    assertThat(directlyRead).isGreaterThan(1000); // the corpus does reach the walk's success path
  }

  @Test
  void theDecodersLimitsStillApply() {
    Object deep = Binary.ofUtf8("x");
    for (int i = 0; i < 20; i++) {
      deep = List.of(deep);
    }
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(Atom.of("a"));
    }
    EtfLimits small = EtfLimits.DEFAULT.withMaxTerms(200);
    byte[] deepExtra = Etf.encode(Tuple.of(Atom.of("message"), MessageRecords.id(1, 2), 1L, Binary.ofUtf8("d"),
        Map.of(), Map.of(), Binary.ofUtf8("t"), Binary.EMPTY, 1L, Map.of(Atom.of("x"), deep)));
    byte[] manyTerms = Etf.encode(Tuple.of(Atom.of("message"), MessageRecords.id(1, 2), 1L, Binary.ofUtf8("d"),
        Map.of(), Map.of(), Binary.ofUtf8("t"), Binary.EMPTY, 1L, Map.of(Atom.of("x"), many)));
    EtfLimits shallow = EtfLimits.DEFAULT.withMaxDepth(16);
    assertThatThrownBy(() -> MessageRecord.decode(Buffer.buffer(deepExtra), "p", NOW, shallow))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining("nesting deeper than 16");
    assertThatThrownBy(() -> MessageRecord.decode(Buffer.buffer(manyTerms), "p", NOW, small))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining("200 terms");
    byte[] big = MessageRecord.encode(Message.simple("t", Buffer.buffer(new byte[5000]), 0, false, "c"));
    assertThatThrownBy(() -> MessageRecord.decode(Buffer.buffer(big), "p", NOW, EtfLimits.DEFAULT.withMaxBytes(4096)))
        .isInstanceOf(LinkPayloadException.class).hasMessageContaining("exceeds the limit of 4096");
    assertThatThrownBy(() -> MessageRecord.decodeDirect(deepExtra, 0, deepExtra.length, null, "p", NOW, shallow))
        .hasMessageContaining("nesting deeper than 16");
    assertThat(direct(deepExtra).message().topic()).isEqualTo("t"); // within the default depth
  }

  @Test
  void idsAreUniqueAcrossThreadsAndShareTheProcessPrefix() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          byte[] b = MessageRecord.encode(Message.simple("t", Buffer.buffer(), 0, false, "c"));
          seen.add(java.util.HexFormat.of().formatHex(b, 17, 33)); // the 16 id bytes after 131, 104, 10, the atom, 109, length
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(seen).hasSize(80_000);
    assertThat(seen).allMatch(h -> h.startsWith(String.format("%016x", MessageIds.prefix())));
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error");
  }
}
