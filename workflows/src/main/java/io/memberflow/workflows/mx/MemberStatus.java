package io.memberflow.workflows.mx;

import java.util.Set;

/**
 * What MX reports about a member: its connection and its aggregation. Read to confirm a relayed
 * success, when MX sends news, and when the browser never told us.
 *
 * @param beingAggregated MX is fetching the member's data (null where MX did not say)
 * @param successfullyAggregatedAt when MX last finished fetching it (null: never)
 */
public record MemberStatus(
    String guid,
    String connectionStatus,
    Boolean beingAggregated,
    String successfullyAggregatedAt) {

  private static final Set<String> CONNECTED = Set.of("CONNECTED", "RECONNECTED");

  public MemberStatus(String guid, String connectionStatus) {
    this(guid, connectionStatus, null, null);
  }

  public boolean reportsConnected() {
    return connectionStatus != null && CONNECTED.contains(connectionStatus);
  }
}
