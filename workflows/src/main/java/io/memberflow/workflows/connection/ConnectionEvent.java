package io.memberflow.workflows.connection;

/** What can happen to a connection; {@link ConnectionLifecycle} says where each may happen. */
public enum ConnectionEvent {
  MEMBER_READY,
  MX_FAILED,
  /** Success relayed by the browser: MX is asked to confirm it. */
  OAUTH_REPORTED_SUCCESS,
  /** MX reports the member connected. */
  MX_CONFIRMED,
  /** MX did not report the member connected within the confirmation window. */
  NOT_CONFIRMED,
  OAUTH_RETRYABLE_FAILURE,
  OAUTH_ACTION_REQUIRED,
  OAUTH_LOGIN_FAILED,
  OAUTH_PROVIDER_UNAVAILABLE,
  ATTEMPTS_EXHAUSTED,
  TIMED_OUT_BUT_CONNECTED,
  TIMED_OUT,
  USER_RESUMED,
  USER_RETRIED,
  WINDOW_ENDED,
  CANCEL,
  /** MX reports a status the user must act on. */
  USER_MUST_ACT,
  /** MX reports trouble at the provider. */
  PROVIDER_TROUBLE,
  /** MX reports the member healthy again, with nothing asked of the user. */
  HEALTHY_AGAIN,
  /** MX reports the member closed for good. */
  MX_CLOSED,
  /** The integrator asked for a fresh OAuth window on the same member. */
  RECONNECT,
  /** A repair ended without MX reporting the member connected: the user must still act. */
  REPAIR_ENDED,
  /** The integrator disconnected the member; MX deleted it. */
  DISCONNECT
}
