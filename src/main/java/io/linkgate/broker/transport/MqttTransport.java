package io.linkgate.broker.transport;

import io.linkgate.broker.ListenerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.List;
import java.util.function.Function;

/**
 * One MQTT listener (TCP, or WebSocket on a path; either of them over TLS) with the packet pipeline under our control from the first byte:
 * [WebSocket framing] → {@link MqttFrameValidator} → Netty's MqttDecoder / MqttEncoder. Built on a Vert.x
 * {@code NetServer} and its internal socket API, as vertx-mqtt's own server is; we do not use vertx-mqtt's server
 * because its pipeline cannot be extended to check what Netty's decoder lets through.
 */
public final class MqttTransport {
  private static final String MQTT_SUBPROTOCOLS = "mqtt,mqttv3.1,mqttv3.1.1";

  private final NetServer server;

  private MqttTransport(NetServer server) {
    this.server = server;
  }

  /**
   * Opens the listener; {@code handlers} is asked for a {@link PacketHandler} for each new connection.
   *
   * @param maxRemainingLength the decoder's limit, derived from the Maximum Packet Size
   */
  public static Future<MqttTransport> listen(Vertx vertx, ListenerSpec spec, int maxRemainingLength,
                                             Function<MqttChannel, PacketHandler> handlers) {
    NetServerOptions options = new NetServerOptions().setHost(spec.host()).setPort(spec.port())
      .setTcpNoDelay(true).setReuseAddress(true);
    if (spec.ssl() != null) {
      TlsServerOptions.apply(options, spec.ssl()); // Vert.x puts the SslHandler in front of everything below
    }
    NetServer server = vertx.createNetServer(options);
    server.connectHandler(so -> {
      NetSocketInternal socket = (NetSocketInternal) so;
      ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
      if (spec.websocket()) {
        pipeline.addBefore("handler", "httpCodec", new HttpServerCodec());
        pipeline.addBefore("handler", "httpAggregator", new HttpObjectAggregator(65_536));
        pipeline.addBefore("handler", "webSocket", new WebSocketServerProtocolHandler(spec.path(), MQTT_SUBPROTOCOLS,
          false, maxRemainingLength + 8));
        pipeline.addBefore("handler", "webSocketToBytes", new WebSocketToBytes());
        pipeline.addBefore("handler", "bytesToWebSocket", new BytesToWebSocket());
      }
      pipeline.addBefore("handler", "mqttFrames", new MqttFrameValidator(maxRemainingLength));
      pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(maxRemainingLength, 65_535));
      pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);

      MqttChannel channel = new MqttChannel(socket, spec.id());
      PacketHandler handler = handlers.apply(channel);
      socket.messageHandler(msg -> {
        try {
          if (msg instanceof MqttMessage packet) {
            handler.onPacket(packet);
          }
        } finally {
          ReferenceCountUtil.release(msg);
        }
      });
      socket.eventHandler(ReferenceCountUtil::release);
      socket.exceptionHandler(handler::onError);
      socket.closeHandler(v -> {
        channel.markClosed();
        handler.onClosed();
      });
    });
    return server.listen().map(s -> new MqttTransport(server));
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** MQTT over WebSocket travels in binary frames ([MQTT-6.0.0-1]); a text frame is an error. */
  private static final class WebSocketToBytes extends MessageToMessageDecoder<WebSocketFrame> {
    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
      if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
        out.add(frame.content().retain());
      } else {
        throw new io.netty.handler.codec.DecoderException("MQTT over WebSocket needs binary frames");
      }
    }
  }

  private static final class BytesToWebSocket extends MessageToMessageEncoder<ByteBuf> {
    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
      out.add(new BinaryWebSocketFrame(bytes.retain()));
    }
  }
}
