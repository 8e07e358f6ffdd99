package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MemberStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * A connected member's life, acted on: the next daily read, where MX's status takes the connection
 * by its class, stale data, and a repair's start and end. What it keeps is the data's {@link
 * MemberLife}; the attempts of a repair are the connection's own.
 */
final class ConnectedLife {

  private final ConnectionData data;
  private final OutcomePolicy policy;
  private final Waiting waiting;
  private final Outbox outbox;
  private final Moves moves;
  private final ConnectionEnvironment env;
  private final ConnectionMetrics metrics;

  ConnectedLife(
      ConnectionData data,
      Waiting waiting,
      Outbox outbox,
      Moves moves,
      ConnectionEnvironment env,
      ConnectionMetrics metrics) {
    this.data = data;
    this.policy = data.request.policy();
    this.waiting = waiting;
    this.outbox = outbox;
    this.moves = moves;
    this.env = env;
    this.metrics = metrics;
  }

  /**
   * Nothing more to follow: a connection that lives on waits for its next read of the member; one
   * that does not has ended.
   */
  void settle() {
    if (!data.life.livesOn || data.isFinished()) {
      waiting.set(Wait.NOTHING);
      return;
    }
    Instant now = env.now();
    if (data.life.nextCheckup == null || data.life.nextCheckup.isBefore(now)) {
      data.life.nextCheckup = now.plus(policy.checkupInterval());
    }
    waiting.start(Wait.CHECKUP, null, data.life.nextCheckup);
  }

  /** A new run of the workflow: the read that came due while it started happens at once. */
  void carriedOn() {
    Instant next = data.life.nextCheckup;
    if (next != null && !next.isAfter(env.now())) {
      checkupDue();
    } else {
      settle();
    }
  }

  /** The daily read is due: the one after it is planned before this one's answer. */
  void checkupDue() {
    data.life.nextCheckup = env.now().plus(policy.checkupInterval());
    settle();
    outbox.readMember(false);
  }

  /** A read of a connected member: MX's status, by its class, decides where the connection is. */
  void checkedUp(MemberStatus status) {
    if (status == null) {
      return; // MX could not be read: the next read tries again
    }
    data.life.read(status);
    MemberHealth health = MemberHealth.of(status.connectionStatus());
    if (health.state() != null
        && health.state() != data.state()
        && data.lifecycle.accepts(health.event())) {
      moves.fire(health.event());
      metrics.memberHealth(health);
      switch (health) {
        case USER_MUST_ACT -> {
          data.life.reauthSince = env.now();
          metrics.repair("reauth_required");
        }
        case PROVIDER_TROUBLE -> outbox.alertProviderTrouble();
        case HEALTHY -> {
          if (data.life.reauthSince != null) {
            metrics.repair("repaired_by_itself");
            data.life.reauthSince = null;
          }
        }
        default -> {}
      }
      outbox.notify(health.webhook());
    }
    if (data.state() == ConnectionState.CONNECTED
        && data.life.turnedStale(env.now(), policy.staleAfter())) {
      data.life.staleTold = true;
      metrics.stale();
      outbox.notify(NotificationType.STALE);
    }
  }

  /** The user signs in again on the same member: a fresh round of attempts starts. */
  void startRepair() {
    data.life.repairing = true;
    data.life.windowsBefore = data.attempt;
    data.lastErrorReason = null;
    data.failureReason = null;
    data.failureDetail = null;
    metrics.repair("started");
    moves.fire(ConnectionEvent.RECONNECT);
  }

  boolean isRepairing() {
    return data.life.repairing;
  }

  /** MX reports the member connected after the user's reconnect. */
  void repaired() {
    data.life.repairing = false;
    data.life.repairedThisRun = true;
    metrics.repair("repaired_by_user");
    if (data.life.reauthSince != null) {
      metrics.timeToRepair(Duration.between(data.life.reauthSince, env.now()).toMillis());
      data.life.reauthSince = null;
    }
    outbox.notify(NotificationType.REPAIRED);
  }

  /** A repair that did not connect: the user must still act, and may reconnect again. */
  void repairEnded(FailureReason reason, String detail) {
    data.life.repairing = false;
    data.candidateGuid = null;
    data.failureReason = reason;
    data.failureDetail = detail;
    metrics.repair("abandoned");
    moves.fire(ConnectionEvent.REPAIR_ENDED);
    outbox.notify(NotificationType.REAUTH_REQUIRED);
    settle();
  }
}
