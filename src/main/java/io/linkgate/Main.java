package io.linkgate;

import io.linkgate.config.ConfigException;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.lifecycle.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Command line entry point: {@code java -jar linkgate.jar [-c conf/linkgate.conf]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  static final int EXIT_USAGE = 64;
  static final int EXIT_CONFIG = 78;
  static final int EXIT_START = 70;

  private Main() {
  }

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Starts Linkgate and returns 0 once it is ready (it then runs until the JVM stops), or an exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals(HashPasswordCommand.NAME)) {
      return HashPasswordCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, out, err);
    }
    Path configFile = ConfigLoader.DEFAULT_FILE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          out.print(usage());
          return 0;
        }
        case "-v", "--version" -> {
          out.println("linkgate " + version());
          return 0;
        }
        case "-c", "--config" -> {
          if (i + 1 >= args.length) {
            err.println("error: " + args[i] + " needs a file\n\n" + usage());
            return EXIT_USAGE;
          }
          configFile = Path.of(args[++i]);
        }
        default -> {
          err.println("error: unknown argument " + args[i] + "\n\n" + usage());
          return EXIT_USAGE;
        }
      }
    }
    if (!Files.isRegularFile(configFile)) {
      err.println("error: config file not found: " + configFile.toAbsolutePath());
      return EXIT_CONFIG;
    }
    LinkgateConfig config;
    try {
      config = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return EXIT_CONFIG;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    try {
      Linkgate node = Linkgate.start(config, ConfigSource.of(configFile, System.getenv()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "linkgate-shutdown"));
      reloadOnSighup(node);
      out.println("Linkgate ready [version: " + version() + ", node: " + config.node().name() + ", cluster: "
        + config.cluster().name() + ", mqtt: " + node.mqttPorts()
        + (node.apiPort() > 0 ? ", api: http://" + config.api().bind().host() + ":" + node.apiPort() + "/api/v5" : "")
        + "]");
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.error("start failed: {}", cause.getMessage());
      err.println("error: start failed: " + cause.getMessage());
      return EXIT_START;
    }
  }

  /** {@code kill -HUP <pid>} re-reads the config file, as most daemons do. */
  private static void reloadOnSighup(Linkgate node) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        log.info("config reload requested [trigger: SIGHUP]");
        node.reloadConfig("sighup");
      });
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available on this platform; the config file is still watched [reason: {}]",
        e.getMessage());
    }
  }

  private static void stop(Linkgate node) {
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }

  static String usage() {
    return """
      Usage: java -jar linkgate.jar [options]
             java -jar linkgate.jar hash-password [--iterations N]   (reads the password from stdin)

      Linkgate: MQTT 3.1.1/5 broker and cluster-link gateway.

      Options:
        -c, --config FILE   config file, HOCON or JSON (default: conf/linkgate.conf)
        -h, --help          show this help and exit
        -v, --version       print the version and exit

      Signals:
        SIGHUP                             re-read the config file (it is also watched for changes)

      Environment:
        LINKGATE__<SECTION>__<KEY>=value   overrides a config key, e.g. LINKGATE__CLUSTER__NAME=eu-west
        LINKGATE_LOG_LEVEL                 root log level (default INFO)

      Exit codes: 0 ok, 64 bad arguments, 70 could not start (e.g. port in use), 78 invalid config.
      """;
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
