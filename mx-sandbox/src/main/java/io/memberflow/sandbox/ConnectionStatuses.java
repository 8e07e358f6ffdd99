package io.memberflow.sandbox;

import java.util.List;
import java.util.Set;

/**
 * MX's member connection statuses, in the order of the official Platform spec's enum; a status's
 * {@code connection_status_id} is its place in that order (DENIED 2, CONNECTED 6, FAILED 14).
 */
final class ConnectionStatuses {

  static final List<String> ALL =
      List.of(
          "CREATED",
          "PREVENTED",
          "DENIED",
          "CHALLENGED",
          "REJECTED",
          "LOCKED",
          "CONNECTED",
          "IMPEDED",
          "RECONNECTED",
          "DEGRADED",
          "DISCONNECTED",
          "DISCONTINUED",
          "CLOSED",
          "DELAYED",
          "FAILED",
          "UPDATED",
          "DISABLED",
          "IMPORTED",
          "RESUMED",
          "EXPIRED",
          "IMPAIRED",
          "PENDING");

  /** The statuses MX sends its CONNECTION_STATUS webhook for: the end user must act. */
  private static final Set<String> USER_MUST_ACT =
      Set.of(
          "CHALLENGED",
          "DENIED",
          "EXPIRED",
          "IMPAIRED",
          "IMPEDED",
          "LOCKED",
          "PREVENTED",
          "REJECTED");

  private ConnectionStatuses() {}

  static int id(String status) {
    return ALL.indexOf(status);
  }

  /** Whether MX aggregates a member in this status when asked. */
  static boolean isConnected(String status) {
    return "CONNECTED".equals(status) || "RECONNECTED".equals(status);
  }

  static boolean sendsConnectionStatusWebhook(String status) {
    return USER_MUST_ACT.contains(status);
  }
}
