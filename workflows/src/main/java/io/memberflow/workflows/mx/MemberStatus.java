package io.memberflow.workflows.mx;

import java.util.Set;

/** What MX reports about a member's connection, read when the browser never told us. */
public record MemberStatus(String guid, String connectionStatus) {

  private static final Set<String> CONNECTED = Set.of("CONNECTED", "RECONNECTED");

  public boolean reportsConnected() {
    return connectionStatus != null && CONNECTED.contains(connectionStatus);
  }
}
