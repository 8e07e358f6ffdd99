package io.memberflow.workflows.connection;

/** The {@code error_reason} values of MX's {@code oauthComplete/error} message. */
public enum ErrorReason {
  CANCELLED,
  DENIED,
  IMPEDED,
  PROVIDER_ERROR,
  SERVER_ERROR,
  SESSION_ERROR
}
