package io.memberflow.workflows.connection;

import java.util.Map;

/**
 * What MX's connection status of a member says about its health, by MX's own table of statuses and
 * their recommended actions. For an OAuth member, "the user must act" means a fresh OAuth window on
 * the same member.
 */
public enum MemberHealth {
  /** Connected, or connected again through a new data source. */
  HEALTHY(ConnectionState.CONNECTED, ConnectionEvent.HEALTHY_AGAIN, NotificationType.REPAIRED),
  /** Created, updated, resumed or pending: MX is at work, nothing to decide yet. */
  IN_PROGRESS(null, null, null),
  /** The institution or MX needs the user: credentials refused, token revoked or expired, MFA. */
  USER_MUST_ACT(
      ConnectionState.REAUTH_REQUIRED,
      ConnectionEvent.USER_MUST_ACT,
      NotificationType.REAUTH_REQUIRED),
  /** The provider is in trouble; operators follow it up, the user cannot help. */
  PROVIDER_TROUBLE(
      ConnectionState.DEGRADED, ConnectionEvent.PROVIDER_TROUBLE, NotificationType.DEGRADED),
  /** The member is closed for good at MX. */
  TERMINAL(ConnectionState.CLOSED, ConnectionEvent.MX_CLOSED, NotificationType.CLOSED);

  private static final Map<String, MemberHealth> BY_STATUS =
      Map.ofEntries(
          Map.entry("CONNECTED", HEALTHY),
          Map.entry("RECONNECTED", HEALTHY),
          Map.entry("CREATED", IN_PROGRESS),
          Map.entry("UPDATED", IN_PROGRESS),
          Map.entry("RESUMED", IN_PROGRESS),
          Map.entry("PENDING", IN_PROGRESS),
          Map.entry("DENIED", USER_MUST_ACT),
          Map.entry("PREVENTED", USER_MUST_ACT),
          Map.entry("IMPAIRED", USER_MUST_ACT),
          Map.entry("IMPORTED", USER_MUST_ACT),
          Map.entry("EXPIRED", USER_MUST_ACT),
          Map.entry("REJECTED", USER_MUST_ACT),
          Map.entry("LOCKED", USER_MUST_ACT),
          Map.entry("IMPEDED", USER_MUST_ACT),
          Map.entry("CHALLENGED", USER_MUST_ACT),
          Map.entry("DEGRADED", PROVIDER_TROUBLE),
          Map.entry("DISCONNECTED", PROVIDER_TROUBLE),
          Map.entry("FAILED", PROVIDER_TROUBLE),
          Map.entry("DELAYED", PROVIDER_TROUBLE),
          Map.entry("DISCONTINUED", TERMINAL),
          Map.entry("CLOSED", TERMINAL),
          Map.entry("DISABLED", TERMINAL));

  private final ConnectionState state;
  private final ConnectionEvent event;
  private final NotificationType webhook;

  MemberHealth(ConnectionState state, ConnectionEvent event, NotificationType webhook) {
    this.state = state;
    this.event = event;
    this.webhook = webhook;
  }

  /** MX's status read as health; a status MX may add later counts as work in progress. */
  public static MemberHealth of(String mxStatus) {
    return mxStatus == null ? IN_PROGRESS : BY_STATUS.getOrDefault(mxStatus, IN_PROGRESS);
  }

  /** The state of a connection whose member has this health; null: it stays where it is. */
  public ConnectionState state() {
    return state;
  }

  /** The lifecycle event that takes a connection there. */
  ConnectionEvent event() {
    return event;
  }

  /** The webhook that tells the integrator. */
  NotificationType webhook() {
    return webhook;
  }
}
