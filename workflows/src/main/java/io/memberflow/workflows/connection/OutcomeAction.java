package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionEvent.*;

import io.memberflow.workflows.notifications.NotificationType;

/**
 * The branch table: what the workflow does after each OAuth outcome, one row each. A row says the
 * lifecycle event it fires (the lifecycle knows the state that follows), the webhook it sends,
 * whether operators are alerted, whether a fresh window is fetched at once, and what it waits for
 * next. Which row an {@code error_reason} takes is the deployment's {@link OutcomePolicy}
 * (defaults: {@link ErrorReason}); a relayed success is always confirmed with MX first.
 */
public enum OutcomeAction {
  //                       event                       webhook                                alert  fresh URI  then waits for
  CONFIRM_WITH_MX(         OAUTH_REPORTED_SUCCESS,     null,                                  false, false,     Wait.CONFIRMATION),
  /** Success in runs started before MX confirmation existed: they connect on the message alone. */
  CONNECT_UNCONFIRMED(     OAUTH_SUCCEEDED,            NotificationType.CONNECTED,            false, false,     Wait.NOTHING),
  RETRY_WITH_FRESH_URI(    OAUTH_RETRYABLE_FAILURE,    null,                                  false, true,      Wait.OAUTH),
  NOTIFY_AND_AWAIT_RESUME( OAUTH_ACTION_REQUIRED,      NotificationType.ACTION_REQUIRED,      false, false,     Wait.RESUME),
  NOTIFY_AND_AWAIT_RETRY(  OAUTH_LOGIN_FAILED,         NotificationType.LOGIN_FAILED,         false, false,     Wait.RETRY),
  ALERT_AND_AWAIT_RETRY(   OAUTH_PROVIDER_UNAVAILABLE, NotificationType.PROVIDER_UNAVAILABLE, true,  false,     Wait.RETRY);

  /** What a connection waits for after an outcome, and so which of the policy's windows runs. */
  public enum Wait {
    /** Nothing: the connection has ended. */
    NOTHING,
    /** The OAuth-complete message of a fresh window ({@link OutcomePolicy#oauthTimeout()}). */
    OAUTH,
    /** MX reporting the member connected ({@link OutcomePolicy#confirmWindow()}). */
    CONFIRMATION,
    /** The user's resume ({@link OutcomePolicy#resumeWindow()}). */
    RESUME,
    /** The user's retry ({@link OutcomePolicy#retryWindow()}). */
    RETRY;

    /** Whether what it waits for uses another OAuth window, and so another attempt. */
    boolean needsAnotherWindow() {
      return this == OAUTH || this == RESUME || this == RETRY;
    }
  }

  private final ConnectionEvent event;
  private final NotificationType webhook;
  private final boolean alertsOperators;
  private final boolean freshUri;
  private final Wait then;

  OutcomeAction(
      ConnectionEvent event,
      NotificationType webhook,
      boolean alertsOperators,
      boolean freshUri,
      Wait then) {
    this.event = event;
    this.webhook = webhook;
    this.alertsOperators = alertsOperators;
    this.freshUri = freshUri;
    this.then = then;
  }

  ConnectionEvent event() {
    return event;
  }

  /** The webhook this outcome sends; null when the user simply goes on. */
  NotificationType webhook() {
    return webhook;
  }

  boolean alertsOperators() {
    return alertsOperators;
  }

  boolean fetchesFreshUri() {
    return freshUri;
  }

  Wait then() {
    return then;
  }
}
