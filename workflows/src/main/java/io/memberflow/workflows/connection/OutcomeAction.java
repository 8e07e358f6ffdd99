package io.memberflow.workflows.connection;

/** What the workflow does with an {@code oauthComplete/error}; the policy picks one per reason. */
public enum OutcomeAction {
  /** Fetch a fresh URI and wait again, while attempts last. */
  RETRY_WITH_FRESH_URI(ConnectionEvent.OAUTH_RETRYABLE_FAILURE),
  /** Notify {@code connection.action_required} and wait for the user to resume. */
  NOTIFY_AND_AWAIT_RESUME(ConnectionEvent.OAUTH_ACTION_REQUIRED),
  /** Notify {@code connection.login_failed} and wait for the user to retry. */
  NOTIFY_AND_AWAIT_RETRY(ConnectionEvent.OAUTH_LOGIN_FAILED),
  /** Alert operators, notify {@code connection.provider_unavailable}, wait for the user to retry. */
  ALERT_AND_AWAIT_RETRY(ConnectionEvent.OAUTH_PROVIDER_UNAVAILABLE);

  private final ConnectionEvent event;

  OutcomeAction(ConnectionEvent event) {
    this.event = event;
  }

  ConnectionEvent event() {
    return event;
  }
}
