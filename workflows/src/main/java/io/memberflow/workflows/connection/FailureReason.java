package io.memberflow.workflows.connection;

/** Why a connection ended FAILED or EXPIRED, for the API and webhooks. */
public enum FailureReason {
  /** MX answered "Member cannot use OAuth": the institution has no OAuth. */
  OAUTH_NOT_SUPPORTED,
  /** MX refused a request for good (a 4xx other than the above). */
  MX_REJECTED,
  /** MX stayed unavailable for longer than the activity retry budget. */
  MX_UNAVAILABLE,
  /** Another attempt was needed and none was left. */
  ATTEMPTS_EXHAUSTED,
  /** No OAuth-complete message arrived in time and MX did not report the member connected. */
  OAUTH_TIMED_OUT,
  /** The user did not retry or resume within the window. */
  WINDOW_ENDED
}
