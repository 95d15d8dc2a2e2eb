package io.linkgate.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Port helpers for tests that must name a port up front (separate processes, configs). */
public final class Ports {
  private Ports() {
  }

  /** Ports handed out in this JVM: the kernel may give the same free port twice when asked many times. */
  private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public static int free() {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        s.setReuseAddress(true);
        if (GIVEN.add(s.getLocalPort()) || attempt > 100) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
