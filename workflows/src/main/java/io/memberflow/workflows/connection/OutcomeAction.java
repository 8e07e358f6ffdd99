package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionEvent.*;
import static io.memberflow.workflows.connection.ConnectionState.*;

import java.util.Arrays;
import java.util.List;

/**
 * The branch table: a connection's whole reaction to an OAuth outcome, one row each. A relayed
 * success always takes {@link #CONFIRM_WITH_MX}; an {@code error_reason} takes the row that names
 * it as a default unless the deployment's {@link OutcomePolicy} picks another. An outcome that
 * needs another window when the connection has used all its attempts ends it FAILED instead. {@code
 * BranchTableTest} checks each row against {@link ConnectionLifecycle}.
 */
public enum OutcomeAction {
  // spotless:off (a table reads as one)
  //                       event                       next state            webhook                               alert  fresh URI  then waits for     and its end leads to       default for
  CONFIRM_WITH_MX(         OAUTH_REPORTED_SUCCESS,     CONFIRMING,           null,                                 false, false,     Wait.CONFIRMATION, WindowEnd.ANOTHER_WINDOW),
  RETRY_WITH_FRESH_URI(    OAUTH_RETRYABLE_FAILURE,    AWAITING_OAUTH,       null,                                 false, true,      Wait.OAUTH,        WindowEnd.ASK_MX,          ErrorReason.CANCELLED, ErrorReason.SESSION_ERROR),
  NOTIFY_AND_AWAIT_RESUME( OAUTH_ACTION_REQUIRED,      ACTION_REQUIRED,      NotificationType.ACTION_REQUIRED,      false, false,     Wait.RESUME,       WindowEnd.EXPIRES,         ErrorReason.IMPEDED),
  NOTIFY_AND_AWAIT_RETRY(  OAUTH_LOGIN_FAILED,         LOGIN_FAILED,         NotificationType.LOGIN_FAILED,         false, false,     Wait.RETRY,        WindowEnd.FAILS,           ErrorReason.DENIED),
  ALERT_AND_AWAIT_RETRY(   OAUTH_PROVIDER_UNAVAILABLE, PROVIDER_UNAVAILABLE, NotificationType.PROVIDER_UNAVAILABLE, true,  false,     Wait.RETRY,        WindowEnd.FAILS,           ErrorReason.PROVIDER_ERROR, ErrorReason.SERVER_ERROR);
  // spotless:on

  private final ConnectionEvent event;
  private final ConnectionState nextState;
  private final NotificationType webhook;
  private final boolean alertsOperators;
  private final boolean fetchesFreshUri;
  private final Wait then;
  private final WindowEnd windowEnd;
  private final List<ErrorReason> defaultFor;

  OutcomeAction(
      ConnectionEvent event,
      ConnectionState nextState,
      NotificationType webhook,
      boolean alertsOperators,
      boolean fetchesFreshUri,
      Wait then,
      WindowEnd windowEnd,
      ErrorReason... defaultFor) {
    this.event = event;
    this.nextState = nextState;
    this.webhook = webhook;
    this.alertsOperators = alertsOperators;
    this.fetchesFreshUri = fetchesFreshUri;
    this.then = then;
    this.windowEnd = windowEnd;
    this.defaultFor = List.of(defaultFor);
  }

  /** The row an {@code error_reason} takes unless the policy says otherwise. */
  public static OutcomeAction defaultFor(ErrorReason reason) {
    return Arrays.stream(values())
        .filter(action -> action.defaultFor.contains(reason))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no row of the branch table is the default for " + reason));
  }

  public ConnectionEvent event() {
    return event;
  }

  /** Where {@link #event()} takes a connection that awaited the OAuth outcome. */
  public ConnectionState nextState() {
    return nextState;
  }

  /** The webhook this outcome sends; null when the user simply goes on. */
  public NotificationType webhook() {
    return webhook;
  }

  public boolean alertsOperators() {
    return alertsOperators;
  }

  public boolean fetchesFreshUri() {
    return fetchesFreshUri;
  }

  public Wait then() {
    return then;
  }

  public WindowEnd windowEnd() {
    return windowEnd;
  }

  public List<ErrorReason> defaultFor() {
    return defaultFor;
  }
}
