package io.memberflow.workflows.connection;

/**
 * What a client asks of a running connection: the browser's OAuth-complete message, the user's
 * retry or resume, a cancel; and for a connected member, a reconnect, a refresh or a disconnect.
 */
public record ClientRequest(Kind kind, OAuthMessage message) {

  public enum Kind {
    MESSAGE(null),
    RETRY(ConnectionEvent.USER_RETRIED),
    RESUME(ConnectionEvent.USER_RESUMED),
    CANCEL(ConnectionEvent.CANCEL),
    /** A fresh OAuth window on the same member, for a user who must sign in again. */
    RECONNECT(ConnectionEvent.RECONNECT),
    /** An aggregation asked of MX, within MX's rules. */
    REFRESH(null),
    /** The member deleted at MX; the connection ends. */
    DISCONNECT(ConnectionEvent.DISCONNECT);

    /** The lifecycle event of a user action; a message's depends on the message. */
    final ConnectionEvent event;

    Kind(ConnectionEvent event) {
      this.event = event;
    }
  }

  public static final ClientRequest RETRY = new ClientRequest(Kind.RETRY, null);
  public static final ClientRequest RESUME = new ClientRequest(Kind.RESUME, null);
  public static final ClientRequest CANCEL = new ClientRequest(Kind.CANCEL, null);
  public static final ClientRequest RECONNECT = new ClientRequest(Kind.RECONNECT, null);
  public static final ClientRequest REFRESH = new ClientRequest(Kind.REFRESH, null);
  public static final ClientRequest DISCONNECT = new ClientRequest(Kind.DISCONNECT, null);

  public static ClientRequest relay(OAuthMessage message) {
    return new ClientRequest(Kind.MESSAGE, message);
  }
}
