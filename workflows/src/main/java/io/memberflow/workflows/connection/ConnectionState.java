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
  /** MX reports the member connected; it is read daily and listened to for its whole life. */
  CONNECTED,
  /** MX reports provider trouble (DEGRADED, DISCONNECTED, FAILED, DELAYED): operators act. */
  DEGRADED,
  /**
   * MX reports that the user must act (a revoked or expired token, say): a reconnect opens a fresh
   * OAuth window on the same member.
   */
  REAUTH_REQUIRED,
  FAILED(true),
  EXPIRED(true),
  CANCELLED(true),
  /** MX reports the member closed for good (DISCONTINUED, CLOSED, DISABLED). */
  CLOSED(true),
  /** The integrator disconnected it: the member was deleted at MX. */
  DISCONNECTED(true);

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

  /** The states of a member's life after its first connection; each may be repaired or closed. */
  public boolean isConnectedLife() {
    return this == CONNECTED || this == DEGRADED || this == REAUTH_REQUIRED;
  }
}
