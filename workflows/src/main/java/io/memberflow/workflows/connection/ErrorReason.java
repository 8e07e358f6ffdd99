package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.OutcomeAction.*;

/**
 * The {@code error_reason} values of MX's {@code oauthComplete/error} message, each with the row
 * of the branch table it takes unless the deployment's policy says otherwise.
 */
public enum ErrorReason {
  CANCELLED(RETRY_WITH_FRESH_URI),
  SESSION_ERROR(RETRY_WITH_FRESH_URI),
  IMPEDED(NOTIFY_AND_AWAIT_RESUME),
  DENIED(NOTIFY_AND_AWAIT_RETRY),
  PROVIDER_ERROR(ALERT_AND_AWAIT_RETRY),
  SERVER_ERROR(ALERT_AND_AWAIT_RETRY);

  private final OutcomeAction defaultAction;

  ErrorReason(OutcomeAction defaultAction) {
    this.defaultAction = defaultAction;
  }

  OutcomeAction defaultAction() {
    return defaultAction;
  }
}
