package io.memberflow.workflows.connection;

import java.time.Duration;
import java.time.Instant;

/**
 * Moves a connection along its lifecycle and records the move: its transition, its metrics, and the
 * end of all waiting once the connection has ended.
 */
final class Moves {

  private final ConnectionData data;
  private final Waiting waiting;
  private final ConnectionEnvironment env;
  private final ConnectionMetrics metrics;
  private final Instant startedAt;

  Moves(
      ConnectionData data, Waiting waiting, ConnectionEnvironment env, ConnectionMetrics metrics) {
    this.data = data;
    this.waiting = waiting;
    this.env = env;
    this.metrics = metrics;
    this.startedAt = env.now();
  }

  void fire(ConnectionEvent event) {
    ConnectionState from = data.state();
    ConnectionState to = data.lifecycle.fire(event);
    metrics.transition(from, to);
    data.transitions.add(new Transition(from, to, event, env.now()));
    if (to.isTerminal()) {
      waiting.set(Wait.NOTHING);
    }
    // The first round of attempts has its outcome: connected, or ended without.
    boolean firstRound = data.life.windowsBefore == 0 && !data.life.repairing;
    if (firstRound
        && ConnectionLifecycle.ATTEMPTING.contains(from)
        && (to.isTerminal() || to == ConnectionState.CONNECTED)) {
      metrics.finished(to, Duration.between(startedAt, env.now()).toMillis());
    }
  }
}
