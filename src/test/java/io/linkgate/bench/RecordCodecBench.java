package io.linkgate.bench;

import io.linkgate.broker.Message;
import io.linkgate.etf.Binary;
import io.linkgate.etf.EtfLimits;
import io.linkgate.link.wire.DecodedMessage;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.MessageProperties;
import io.linkgate.link.wire.MessageRecord;
import io.linkgate.link.wire.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Bytes allocated and time per encode and per decode of a typical forwarded record (64-byte payload, two
 * User-Properties, a Content-Type, an expiry), through the generic term-tree codec the link used before and through
 * the direct codec ({@link MessageRecord}). A plain loop, not JMH: on a shared machine the times are indicative; the
 * allocation figures ({@code ThreadMXBean.getThreadAllocatedBytes}) are stable.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(deps) io.linkgate.bench.RecordCodecBench [ops]}
 */
public final class RecordCodecBench {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private RecordCodecBench() {
  }

  public static void main(String[] args) {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    long now = System.currentTimeMillis();
    byte[] payload = new byte[64];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    Message m = new Message("sensors/site-1/line-4/temperature", Buffer.buffer(payload), 1, false, null,
        "application/json", null, null, List.of(new StringPair("source", "plc-17"), new StringPair("unit", "C")),
        "publisher-0042", null, now, now + 60_000);
    Buffer carrier = Buffer.buffer(MessageRecord.encode(m));

    IntSupplier oldEncode = () -> oldWire(m).encodePlain().length;
    IntSupplier newEncode = () -> MessageRecord.encode(m).length;
    IntSupplier oldDecode = () -> {
      DecodedMessage d = ForwardedMessage.decodeWithReport(carrier.getBytes());
      return MessageRecord.toMessage(d.message(), "peer", now).payload().length();
    };
    IntSupplier newDecode = () -> MessageRecord.decode(carrier, "peer", now, EtfLimits.DEFAULT).message()
        .payload().length();
    System.out.printf(Locale.ROOT, "record: %d bytes, %d ops per figure (after %d warm-up ops)%n",
        carrier.length(), ops, ops);
    for (int round = 0; round < 2; round++) {
      report("encode generic (Message -> ForwardedMessage -> term tree -> byte[])", oldEncode, ops);
      report("encode direct  (Message -> byte[])", newEncode, ops);
      report("decode generic (Buffer -> byte[] -> term tree -> ForwardedMessage -> Message)", oldDecode, ops);
      report("decode direct  (Buffer -> Message, payload sliced)", newDecode, ops);
    }
  }

  /** The record as LinkMessages.toWire built it before the direct codec. */
  private static ForwardedMessage oldWire(Message m) {
    List<UserProperty> users = new ArrayList<>(m.userProperties().size());
    for (StringPair p : m.userProperties()) {
      users.add(new UserProperty(p.key, p.value));
    }
    long interval = MessageRecord.expiryInterval(m);
    MessageProperties props = new MessageProperties(users, m.contentType(), m.responseTopic(),
        m.correlationData() == null ? null : Binary.of(m.correlationData()), interval < 0 ? null : interval,
        m.payloadFormat());
    return new ForwardedMessage(ForwardedMessage.newId(), m.qos(), m.publisherId(), m.retain(), false, m.topic(),
        Binary.of(m.payload().getBytes()), m.createdAt(), props);
  }

  private static void report(String name, IntSupplier op, int ops) {
    long sink = 0;
    for (int i = 0; i < ops; i++) {
      sink += op.getAsInt();
    }
    long tid = Thread.currentThread().getId();
    long bytes0 = THREADS.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      sink += op.getAsInt();
    }
    long t1 = System.nanoTime();
    long bytes1 = THREADS.getThreadAllocatedBytes(tid);
    System.out.printf(Locale.ROOT, "%-82s %7.1f ns/op %7.0f B/op%s%n", name, (t1 - t0) / (double) ops,
        (bytes1 - bytes0) / (double) ops, sink == 42 ? " " : "");
  }
}
