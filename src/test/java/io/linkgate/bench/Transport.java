package io.linkgate.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Netty transport for the load generator: native epoll ({@code netty-transport-native-epoll}, linux-x86_64, a test
 * dependency) when it loads, NIO otherwise (another OS or CPU, or {@code --no-epoll}). Epoll is looked up
 * reflectively so the generator still compiles and runs where the native library is missing.
 */
final class Transport implements AutoCloseable {

  final EventLoopGroup group;
  final Class<? extends SocketChannel> channelClass;
  final String name;

  private Transport(EventLoopGroup group, Class<? extends SocketChannel> channelClass, String name) {
    this.group = group;
    this.channelClass = channelClass;
    this.name = name;
  }

  static Transport create(int threads, boolean allowEpoll) {
    if (allowEpoll) {
      try {
        Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
        if (Boolean.TRUE.equals(epoll.getMethod("isAvailable").invoke(null))) {
          IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
              .getMethod("newFactory").invoke(null);
          Class<? extends SocketChannel> ch =
              Class.forName("io.netty.channel.epoll.EpollSocketChannel").asSubclass(SocketChannel.class);
          return new Transport(new MultiThreadIoEventLoopGroup(threads, factory), ch, "epoll");
        }
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        // fall through to NIO
      }
    }
    return new Transport(new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()),
        NioSocketChannel.class, "nio");
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
