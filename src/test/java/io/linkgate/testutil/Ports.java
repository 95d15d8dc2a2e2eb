package io.linkgate.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Port helpers for tests that must name a port up front (separate processes, configs). */
public final class Ports {
  private Ports() {
  }

  public static int free() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
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
