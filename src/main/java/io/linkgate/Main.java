package io.linkgate;

import io.linkgate.config.ConfigException;
import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.lifecycle.ConfigSource;
import io.linkgate.lifecycle.RunningConfig;
import io.linkgate.logging.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Command line entry point: {@code java -jar linkgate.jar [-c conf/linkgate.conf]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  static final int EXIT_USAGE = 64;
  static final int EXIT_CONFIG = 78;
  static final int EXIT_START = 70;
  private static final int START_TIMEOUT_SECONDS = 60;
  private static final int STOP_TIMEOUT_SECONDS = 10;

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
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          out.print(usage());
          return 0;
        }
        case "-v", "--version" -> {
          out.println("linkgate " + Version.current());
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
    String logFormatProblem = LogFormat.problem(System.getenv(LogFormat.VARIABLE));
    if (logFormatProblem != null) {
      err.println("error: " + logFormatProblem);
      return EXIT_CONFIG;
    }
    if (configFile == null) {
      try {
        configFile = RunningConfig.ensure(RunningConfig.REFERENCE, RunningConfig.DEFAULT);
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        return EXIT_CONFIG;
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
    Linkgate node;
    try {
      node = Linkgate.start(config, ConfigSource.of(configFile, System.getenv()))
        .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      err.println("error: start did not complete within " + START_TIMEOUT_SECONDS + " s");
      return EXIT_START;
    } catch (ExecutionException e) {
      // the reason is written for an operator (e.g. which listener, which address, why): no stack trace
      err.println("error: " + reason(e.getCause()));
      return EXIT_START;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_START;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "linkgate-shutdown"));
    reloadOnSighup(node);
    out.println(readyLine(node, config));
    return 0;
  }

  /** {@code Linkgate ready [...]} with addresses a browser on this machine can open. */
  static String readyLine(Linkgate node, LinkgateConfig config) {
    StringBuilder line = new StringBuilder("Linkgate ready [version: ").append(Version.current())
      .append(", node: ").append(config.node().name()).append(", cluster: ").append(config.cluster().name())
      .append(", mqtt: ").append(node.mqttPorts());
    if (node.apiPort() > 0) {
      String base = "http://" + browsable(config.api().bind().host()) + ":" + node.apiPort();
      line.append(", api: ").append(base).append("/api/v5, dashboard: ").append(base).append("/");
    }
    return line.append("]").toString();
  }

  /** A wildcard bind (0.0.0.0, ::) is reachable on the loopback address; anything else as it was given. */
  static String browsable(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
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

  /**
   * SIGTERM / SIGINT: MQTT 5 clients get DISCONNECT 0x8B (Server shutting down), listeners and links close, and
   * the log says when it is over. The JVM then exits 143 (SIGTERM) or 130 (SIGINT).
   */
  private static void stop(Linkgate node) {
    long began = System.nanoTime();
    log.info("Linkgate stopping");
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("Linkgate stopped [took: {} ms]", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    } catch (Exception e) {
      log.warn("Linkgate stopped, not cleanly [reason: {}]", e.toString());
    }
  }

  static String usage() {
    return """
      Usage: java -jar linkgate.jar [options]
             java -jar linkgate.jar hash-password [--iterations N]   (reads the password from stdin)

      Linkgate: MQTT 3.1.1/5 broker and cluster-link gateway.

      Options:
        -c, --config FILE   config file, HOCON or JSON; Linkgate watches it and writes REST changes into it
                            (default: data/linkgate.conf, copied from the reference conf/linkgate.conf at the
                            first start; the reference itself is never written)
        -h, --help          show this help and exit
        -v, --version       print the version and exit

      Signals:
        SIGHUP                             re-read the config file (it is also watched for changes)
        SIGTERM, SIGINT                    stop: MQTT 5 clients get DISCONNECT 0x8B (Server shutting down)

      Environment:
        LINKGATE__<SECTION>__<KEY>=value   overrides a config key, e.g. LINKGATE__CLUSTER__NAME=eu-west
        LINKGATE_LOG_LEVEL                 root log level (default INFO)
        LINKGATE_LOG_FORMAT                text (default) or json (one JSON object per line)

      Exit codes: 0 ok, 64 bad arguments, 70 could not start (e.g. port in use), 78 invalid config;
                  after a signal: 143 (SIGTERM), 130 (SIGINT).
      """;
  }
}
