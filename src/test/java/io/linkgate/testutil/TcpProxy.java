package io.linkgate.testutil;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy that a test can cut (close every connection, refuse new ones) and restore, and slow down to a
 * given number of bytes per second in each direction ({@link #throttle}).
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final NetServer server;
  private volatile boolean cut;
  private volatile long bytesPerSecond;

  public TcpProxy(int listenPort, int targetPort) throws Exception {
    server = vertx.createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || cut) {
          in.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket out = ar.result();
        sockets.add(in);
        sockets.add(out);
        in.handler(b -> relay(in, out, b));
        out.handler(b -> relay(out, in, b));
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    });
    server.listen(listenPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Writes a chunk on; while throttled, pauses the source for as long as the chunk takes at the set rate. */
  private void relay(NetSocket from, NetSocket to, io.vertx.core.buffer.Buffer chunk) {
    to.write(chunk);
    long bps = bytesPerSecond;
    if (bps > 0) {
      from.pause();
      vertx.setTimer(Math.max(1, chunk.length() * 1000L / bps), id -> from.resume());
    }
  }

  /** Limits each direction of each connection to about {@code bytesPerSecond}; 0 lifts the limit. */
  public void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  public void restore() {
    cut = false;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
