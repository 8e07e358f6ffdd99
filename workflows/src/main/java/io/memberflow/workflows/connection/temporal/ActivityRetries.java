package io.memberflow.workflows.connection.temporal;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How long the connection's activities may take, and how Temporal retries them. */
final class ActivityRetries {

  /** MX calls: retried with backoff for ten minutes, then the connection fails as unavailable. */
  static final ActivityOptions MX_CALLS =
      retried(
          Duration.ofSeconds(30),
          Duration.ofMinutes(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1));

  /**
   * Reads that confirm a relayed success or follow an aggregation: short, because the connection
   * reads again anyway and must not stall past its window behind one slow call.
   */
  static final ActivityOptions MX_READS =
      retried(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5));

  /** Webhooks and alerts: a receiver that is down for hours still gets its message. */
  static final ActivityOptions DELIVERIES =
      retried(
          Duration.ofSeconds(30),
          Duration.ofHours(24),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10));

  private ActivityRetries() {}

  /** Each try may take {@code perTry}; tries go on, with doubling pauses, for {@code overall}. */
  private static ActivityOptions retried(
      Duration perTry, Duration overall, Duration firstPause, Duration longestPause) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(perTry)
        .setScheduleToCloseTimeout(overall)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(firstPause)
                .setBackoffCoefficient(2)
                .setMaximumInterval(longestPause)
                .build())
        .build();
  }
}
