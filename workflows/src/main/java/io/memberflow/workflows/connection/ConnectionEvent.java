package io.memberflow.workflows.connection;

/** What can happen to a connection; {@link ConnectionLifecycle} says where each may happen. */
public enum ConnectionEvent {
  MEMBER_READY,
  MX_FAILED,
  OAUTH_SUCCEEDED,
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
  CANCEL
}
