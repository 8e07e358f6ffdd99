package io.memberflow.workflows.connection;

/** The webhook event types an integrator can receive. */
public enum NotificationType {
  CONNECTED("connection.connected"),
  DATA_READY("connection.data_ready"),
  AGGREGATION_FAILED("connection.aggregation_failed"),
  ACTION_REQUIRED("connection.action_required"),
  LOGIN_FAILED("connection.login_failed"),
  PROVIDER_UNAVAILABLE("connection.provider_unavailable"),
  FAILED("connection.failed"),
  EXPIRED("connection.expired"),
  CANCELLED("connection.cancelled"),
  /** MX reports that the user must act: a reconnect on the same member repairs it. */
  REAUTH_REQUIRED("connection.reauth_required"),
  /** MX reports trouble at the provider; operators are alerted. */
  DEGRADED("connection.degraded"),
  /** Healthy again: after the user's reconnect, or by itself. */
  REPAIRED("connection.repaired"),
  /** Connected, but MX has not aggregated the member for longer than the policy's stale age. */
  STALE("connection.stale"),
  /** MX reports the member closed for good; the connection has ended. */
  CLOSED("connection.closed"),
  /** The integrator disconnected it; the member is deleted at MX. */
  DISCONNECTED("connection.disconnected");

  private final String eventType;

  NotificationType(String eventType) {
    this.eventType = eventType;
  }

  public String eventType() {
    return eventType;
  }
}
