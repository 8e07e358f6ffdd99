package io.memberflow.workflows.connection;

public enum ConnectionState {
  /** Creating the MX user and member. */
  STARTING,
  /** An {@code oauth_window_uri} is out; waiting for the browser's OAuth-complete message. */
  AWAITING_OAUTH,
  /**
   * The browser relayed a success; MX is read until it reports the member connected. The message is
   * only a hint from an untrusted party: MX's member is the truth.
   */
  CONFIRMING,
  /** IMPEDED: the user must act at the institution's site, then resume. */
  ACTION_REQUIRED,
  /** DENIED: the institution refused the login; the user may retry. */
  LOGIN_FAILED,
  /** PROVIDER_ERROR or SERVER_ERROR: operators are alerted; the user may retry later. */
  PROVIDER_UNAVAILABLE,
  CONNECTED(true),
  FAILED(true),
  EXPIRED(true),
  CANCELLED(true);

  private final boolean terminal;

  ConnectionState() {
    this(false);
  }

  ConnectionState(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean isTerminal() {
    return terminal;
  }
}
