package io.linkgate.security;

import io.linkgate.Linkgate;
import io.linkgate.broker.Authorizer;
import io.linkgate.broker.ClientInfo;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.testutil.TestCerts;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** Helpers for the TLS and authentication tests: nodes from JSON configs, TLS clients, who connected. */
final class SecureNodes {
  private SecureNodes() {
  }

  /** A node with only the listeners {@code listeners} (tcp/ws defaults off unless given), no API, metrics on. */
  static Linkgate start(Path dataDir, JsonObject listeners, JsonObject extra) throws Exception {
    JsonObject l = listeners.copy();
    JsonObject tcp = l.getJsonObject("tcp", new JsonObject());
    if (!tcp.containsKey("default")) {
      tcp.put("default", new JsonObject().put("enable", false));
    }
    JsonObject ws = l.getJsonObject("ws", new JsonObject());
    if (!ws.containsKey("default")) {
      ws.put("default", new JsonObject().put("enable", false));
    }
    l.put("tcp", tcp).put("ws", ws);
    JsonObject json = new JsonObject()
      .put("node", new JsonObject().put("name", "secure@127.0.0.1").put("data_dir", dataDir.toString()))
      .put("listeners", l)
      .put("api", new JsonObject().put("enable", false))
      .mergeIn(extra == null ? new JsonObject() : extra);
    return Linkgate.start(ConfigLoader.fromJson(json), LinkTimings.fast())
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void stop(Linkgate node) throws Exception {
    if (node != null) {
      node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** An ssl/wss listener on a free port of 127.0.0.1 with the server certificate of {@code ca}. */
  static JsonObject tlsListener(TestCerts.Issued server, JsonObject sslExtra) {
    JsonObject ssl = new JsonObject().put("certfile", server.cert().toString()).put("keyfile", server.key().toString())
      .mergeIn(sslExtra == null ? new JsonObject() : sslExtra);
    return new JsonObject().put("bind", "127.0.0.1:0").put("ssl_options", ssl);
  }

  /** Connects with Paho 3.1.1 over TLS (or plain when {@code tls} is null); throws what Paho throws. */
  static MqttClient connect(String uri, SSLContext tls, String username, String password) throws Exception {
    MqttClient c = new MqttClient(uri, "c-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setConnectionTimeout(3);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // the default would retry a refusal as MQTT 3.1
    if (tls != null) {
      o.setSocketFactory(tls.getSocketFactory());
    }
    if (username != null) {
      o.setUserName(username);
    }
    if (password != null) {
      o.setPassword(password.toCharArray());
    }
    try {
      c.connect(o);
    } catch (Exception e) {
      c.close(true);
      throw e;
    }
    return c;
  }

  /** Records the ClientInfo of every CONNECT the broker authorizes (after authentication). */
  static List<ClientInfo> recordClients(Linkgate node) throws Exception {
    List<ClientInfo> seen = new CopyOnWriteArrayList<>();
    node.gateway().broker().onBroker(b -> {
      b.authorizer(new Authorizer() {
        @Override
        public boolean canConnect(ClientInfo client) {
          seen.add(client);
          return true;
        }
      });
      return null;
    }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return seen;
  }
}
