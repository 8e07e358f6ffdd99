package io.memberflow.workflows.connection;

/**
 * What a client asks of a running connection: the browser's OAuth-complete message, the user's
 * retry or resume, or a cancel.
 */
public record ClientRequest(Kind kind, OAuthMessage message) {

  public enum Kind {
    MESSAGE(null),
    RETRY(ConnectionEvent.USER_RETRIED),
    RESUME(ConnectionEvent.USER_RESUMED),
    CANCEL(ConnectionEvent.CANCEL);

    /** The lifecycle event of a user action; a message's depends on the message. */
    final ConnectionEvent event;

    Kind(ConnectionEvent event) {
      this.event = event;
    }
  }

  public static final ClientRequest RETRY = new ClientRequest(Kind.RETRY, null);
  public static final ClientRequest RESUME = new ClientRequest(Kind.RESUME, null);
  public static final ClientRequest CANCEL = new ClientRequest(Kind.CANCEL, null);

  public static ClientRequest relay(OAuthMessage message) {
    return new ClientRequest(Kind.MESSAGE, message);
  }
}
