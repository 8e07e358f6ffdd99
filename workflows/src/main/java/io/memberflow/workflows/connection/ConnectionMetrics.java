package io.memberflow.workflows.connection;

/** What a connection counts. The shell's implementation is silent during replay. */
public interface ConnectionMetrics {

  void started();

  void uriIssued();

  /** {@code success}, an error_reason, or {@code timeout}. */
  void oauthResult(String result);

  /** {@code confirmed} or {@code not_confirmed}: what MX said about a relayed success. */
  void confirmation(String outcome);

  /** {@code data_ready} or {@code failed}: how the first aggregation after CONNECTED ended. */
  void aggregation(String outcome);

  void transition(ConnectionState from, ConnectionState to);

  void finished(ConnectionState outcome, long millis);
}
