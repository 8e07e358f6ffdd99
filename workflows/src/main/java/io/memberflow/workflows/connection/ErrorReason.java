package io.memberflow.workflows.connection;

/**
 * The {@code error_reason} values of MX's {@code oauthComplete/error} message. Which row of the
 * branch table each takes by default is written in that row ({@link OutcomeAction}).
 */
public enum ErrorReason {
  CANCELLED,
  SESSION_ERROR,
  IMPEDED,
  DENIED,
  PROVIDER_ERROR,
  SERVER_ERROR
}
