package io.memberflow.dev.embedded;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server in this process on a real gRPC port: the zero-install fallback. Its
 * state is in memory and it has no visibility (no listing or counting).
 *
 * <p>Built from the test server's parts rather than {@code TestServer.createPortBoundServer}, which
 * listens on every interface: this one binds to the configured address only.
 */
final class InMemoryTemporal implements EmbeddedTemporal {

  private final TestServicesStarter services;
  private final Server server;

  private InMemoryTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  static InMemoryTemporal start(String address, int port) {
    // Time runs normally: time skipping stays locked, as for a real server.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(address, port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new InMemoryTemporal(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "Temporal's Java test server cannot listen on " + address + ":" + port, e);
    }
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
