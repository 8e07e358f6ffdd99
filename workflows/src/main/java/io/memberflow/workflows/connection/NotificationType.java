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
  CANCELLED("connection.cancelled");

  private final String eventType;

  NotificationType(String eventType) {
    this.eventType = eventType;
  }

  public String eventType() {
    return eventType;
  }
}
