package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input at volume: at least 100,000 malformed, mutated or random MQTT packets and byte streams over many
 * short, parallel connections, while a well-behaved client keeps a QoS 1 stream going. Afterwards every message of
 * that stream arrived in order, the broker accepts new connections, its connection and session counts are back to
 * the baseline and the heap (after GC) has not grown beyond a bound. Each worker has its own seed derived from the
 * run's seed, printed in every failure: rerun with {@code -Dfuzz.seed=<seed>}.
 */
@Timeout(120)
class FuzzTest {
  private static final Logger log = LoggerFactory.getLogger(FuzzTest.class);
  private static final int PACKETS = 100_000;
  private static final int WORKERS = 4;
  private static final long HEAP_GROWTH_LIMIT = 96L * 1024 * 1024;
  private static final int[] BAD_PERCENT = {0, 1, 2, 5, 20, 50, 100};

  @Test
  void brokerSurvivesHostileInputAndKeepsServingOthers() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    log.info("fuzz seed {} (rerun with -Dfuzz.seed={})", seed, seed);
    String why = "fuzz seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")";
    // short session expiry: sessions left by clean-session=false fuzz clients must go away for the memory check
    try (BrokerFixture broker = new BrokerFixture(TestLimits.defaultsWith(Map.of("maxPacketSize", 64 * 1024,
      "sessionExpirySeconds", 1L, "connectTimeoutSeconds", 2)))) {
      int port = broker.tcpPort();
      long heapBefore = usedHeapAfterGc();
      AtomicLong packets = new AtomicLong();
      AtomicLong connections = new AtomicLong();
      try (SideTraffic side = new SideTraffic(broker.tcpUri(), "side-fuzz")) {
        int baseline = broker.onBroker(b -> b.connectionCount());
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
          Random random = new Random(seed + w);
          workers.add(pool.submit(() -> {
            PacketFuzzer fuzzer = new PacketFuzzer(random);
            while (packets.get() < PACKETS) {
              packets.addAndGet(oneConnection(port, fuzzer, random));
              connections.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> f : workers) {
          f.get(100, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // the broker may still be working through what arrived last (CI machines are shared): let it catch up
        long askedAt = System.nanoTime();
        long routed = broker.verticle.onBroker(b -> b.metrics().messagesReceived()).toCompletionStage()
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
        log.info("broker caught up {} ms after the fuzz ended", (System.nanoTime() - askedAt) / 1_000_000);
        String deliveries = broker.onBroker(b -> b.metrics().messagesDelivered() + " delivered, "
          + b.metrics().droppedTotal() + " dropped, " + b.metrics().connectionsTotal() + " connections accepted");
        log.info("fuzz sent {} packets over {} connections; the broker routed {} messages ({})", packets.get(),
          connections.get(), routed, deliveries);
        // the bursts start with valid packets often enough that the fuzz reaches past the frame decoder
        assertThat(routed).as(why + ": messages routed").isGreaterThan(1000);
        assertThat(packets.get()).as(why).isGreaterThanOrEqualTo(PACKETS);

        side.assertHealthy();
        try (RawMqtt fresh = new RawMqtt(port)) {
          fresh.handshake(5, "after-fuzz");
        }
        awaitTrue(() -> broker.onBroker(b -> b.connectionCount()) <= baseline, why + ": connections back to baseline");
        awaitTrue(() -> broker.onBroker(b -> b.sessionCount()) <= 1, why + ": sessions back to baseline");
      }
      long growth = usedHeapAfterGc() - heapBefore;
      log.info("heap growth after fuzz: {} KB", growth / 1024);
      assertThat(growth).as(why + ": heap growth after GC").isLessThan(HEAP_GROWTH_LIMIT);
    }
  }

  /**
   * One short connection: usually a valid CONNECT and then a pipelined burst of fuzzed packets in one write, now and
   * then a long stream of random bytes; sometimes it reads what comes back, then it closes (often with a reset).
   */
  private static int oneConnection(int port, PacketFuzzer fuzzer, Random random) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      int version = random.nextBoolean() ? 5 : 4;
      int count;
      if (random.nextInt(50) == 0) {
        byte[] stream = new byte[16_384 + random.nextInt(49_152)];
        random.nextBytes(stream);
        burst.writeBytes(stream);
        count = 1;
      } else {
        if (random.nextInt(10) != 0) {
          burst.writeBytes(fuzzer.connect(version));
        }
        count = 20 + random.nextInt(60);
        // some connections are nearly well-behaved (the fuzz then reaches deep into the broker), some pure garbage
        int badPercent = BAD_PERCENT[random.nextInt(BAD_PERCENT.length)];
        for (int i = 0; i < count; i++) {
          burst.writeBytes(fuzzer.next(version, badPercent));
        }
      }
      try {
        out.write(burst.toByteArray());
        out.flush();
        if (random.nextInt(4) == 0) {
          drain(socket, 20);
        }
      } catch (IOException closedByBroker) {
        // expected: the broker closes a connection at its first bad packet
      }
      if (random.nextBoolean()) {
        socket.setSoLinger(true, 0); // reset instead of a clean close
      }
      return count;
    }
  }

  private static void drain(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    try {
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException enough) {
      // read what there was
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(50);
    }
  }
}
