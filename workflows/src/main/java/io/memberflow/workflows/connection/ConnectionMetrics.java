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

  /** The first round of attempts ended: connected, or ended without. */
  void finished(ConnectionState outcome, long millis);

  /** MX's status of a connected member moved it to another health class. */
  void memberHealth(MemberHealth health);

  /**
   * A step of the repair funnel: {@code reauth_required}, {@code started}, {@code abandoned},
   * {@code repaired_by_user} or {@code repaired_by_itself}.
   */
  void repair(String step);

  /** From MX's word that the user must act to the user's successful reconnect. */
  void timeToRepair(long millis);

  /** A connected member's data went stale. */
  void stale();
}
