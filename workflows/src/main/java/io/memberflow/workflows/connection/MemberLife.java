package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MemberStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A connected member's life at MX, as far as the connection needs it: what MX last reported of the
 * member, when its data was last aggregated and whether the integrator heard it went stale, when it
 * is read next, and whether a repair (the user's reconnect) is under way.
 */
final class MemberLife {

  /** MX starts no requested aggregation within three hours of a successful one. */
  static final Duration REFRESH_PAUSE = Duration.ofHours(3);

  /** Whether the connection stays after its first connection (workflows since the member life). */
  boolean livesOn;

  /** MX's connection status when the member was last read; null before the first read. */
  String mxStatus;

  /** MX's {@code successfully_aggregated_at}, as last read. */
  String successfullyAggregatedAt;

  /** {@code connection.stale} was sent for the current {@link #successfullyAggregatedAt}. */
  boolean staleTold;

  /** The next daily read; null until the connection is connected. */
  Instant nextCheckup;

  /** Since when the user must act; null while they need not. */
  Instant reauthSince;

  /** A reconnect's attempts are under way. */
  boolean repairing;

  /** The windows opened before the current round of attempts (its attempts count from one). */
  int windowsBefore;

  /** A repair succeeded in this run of the workflow (the shell then starts a fresh run). */
  boolean repairedThisRun;

  /**
   * What a read says of the member and its data. Only reads that settle something (a daily read, an
   * aggregation's end) move the last success on: an aggregation a repair starts must end after it.
   */
  void read(MemberStatus status) {
    mxStatus = status.connectionStatus();
    String success = status.successfullyAggregatedAt();
    if (success != null && !success.equals(successfullyAggregatedAt)) {
      successfullyAggregatedAt = success;
      staleTold = false;
    }
  }

  /**
   * Whether MX's last success is older than {@code staleAfter} (or unreadable) and not yet told.
   */
  boolean turnedStale(Instant now, Duration staleAfter) {
    Instant success = lastSuccess();
    return !staleTold && success != null && success.plus(staleAfter).isBefore(now);
  }

  /** When MX takes a requested aggregation again; null when it would now. */
  Instant refreshAvailableAt(Instant now) {
    Instant success = lastSuccess();
    Instant from = success == null ? null : success.plus(REFRESH_PAUSE);
    return from != null && from.isAfter(now) ? from : null;
  }

  private Instant lastSuccess() {
    if (successfullyAggregatedAt == null) {
      return null;
    }
    try {
      return Instant.parse(successfullyAggregatedAt);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
