package io.memberflow.workflows.connection;

/** What a connection waits for; the first five have a window of the policy's. */
public enum Wait {
  /** The OAuth-complete message of an open window ({@link OutcomePolicy#oauthTimeout()}). */
  OAUTH,
  /**
   * MX reporting connected the member whose success was relayed ({@link
   * OutcomePolicy#confirmWindow()}).
   */
  CONFIRMATION,
  /** The user's resume ({@link OutcomePolicy#resumeWindow()}). */
  RESUME,
  /** The user's retry ({@link OutcomePolicy#retryWindow()}). */
  RETRY,
  /** MX's first aggregation after CONNECTED ({@link OutcomePolicy#aggregationWindow()}). */
  AGGREGATION,
  /**
   * MX's word on a window that ended with no message: a read that is retried as long as it takes.
   */
  MX_VERDICT,
  /** Nothing but the moment to act: MX made the member, the first window follows at once. */
  FIRST_WINDOW,
  /** A connected member's next daily read ({@link OutcomePolicy#checkupInterval()}). */
  CHECKUP,
  /** Nothing: the connection has ended. */
  NOTHING;

  /** Whether the wait needs another OAuth window, and so another attempt. */
  boolean needsAnotherWindow() {
    return this == OAUTH || this == RESUME || this == RETRY;
  }
}
