package io.memberflow.dev.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusals of the dev server that need no Temporal CLI to show. */
class TemporalDevServerTest {

  @Test
  void aTakenPortIsRefusedBeforeAnythingStartsAndAnUnreadablePidFileIsCleared(@TempDir Path data)
      throws Exception {
    Files.writeString(data.resolve("temporal-server.pid"), "not a pid");
    try (ServerSocket someoneElse = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TemporalDevServer.Settings settings =
          new TemporalDevServer.Settings(
              Path.of("/nonexistent/temporal"),
              "127.0.0.1",
              someoneElse.getLocalPort(),
              0,
              data,
              Duration.ofSeconds(5));

      assertThatThrownBy(() -> TemporalDevServer.start(settings))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + someoneElse.getLocalPort() + " is in use");
    }
    assertThat(data.resolve("temporal-server.pid")).doesNotExist();
  }
}
