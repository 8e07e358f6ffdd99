package io.memberflow.workflows.connection.temporal;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * How long the connection's activities may take, and how Temporal retries them. MX calls run as
 * local activities from release 3 on, with the same bounds as the activities of earlier runs.
 */
final class ActivityRetries {

  /** The longest pause between tries of a local activity that does not end its workflow task. */
  static final Duration LOCAL_RETRY_PAUSE = Duration.ofSeconds(1);

  private static final Duration MX_CALL_TRY = Duration.ofSeconds(30);
  private static final Duration MX_CALLS_OVERALL = Duration.ofMinutes(10);
  private static final RetryOptions MX_CALL_RETRIES =
      doubling(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private static final Duration MX_READ_TRY = Duration.ofSeconds(10);
  private static final Duration MX_READS_OVERALL = Duration.ofSeconds(30);
  private static final RetryOptions MX_READ_RETRIES =
      doubling(Duration.ofSeconds(1), Duration.ofSeconds(5));

  /** MX calls: retried with backoff for ten minutes, then the connection fails as unavailable. */
  static final ActivityOptions MX_CALLS = activity(MX_CALL_TRY, MX_CALLS_OVERALL, MX_CALL_RETRIES);

  /**
   * Reads that confirm a relayed success or follow an aggregation: short, because the connection
   * reads again anyway and must not stall past its window behind one slow call.
   */
  static final ActivityOptions MX_READS = activity(MX_READ_TRY, MX_READS_OVERALL, MX_READ_RETRIES);

  /**
   * {@link #MX_CALLS} as local activities: an MX call takes a fraction of a second, so it runs in
   * the workflow task that asks for it, with no activity task of its own (Temporal's guidance for
   * short calls). While one runs, the workflow answers no query and takes no update, so a retry
   * after a pause longer than {@link #LOCAL_RETRY_PAUSE} waits on a timer, between tasks, rather
   * than holding the task open. MX's {@code Retry-After} is honoured as for an activity.
   */
  static final LocalActivityOptions LOCAL_MX_CALLS =
      local(MX_CALL_TRY, MX_CALLS_OVERALL, MX_CALL_RETRIES);

  /** {@link #MX_READS} as local activities. */
  static final LocalActivityOptions LOCAL_MX_READS =
      local(MX_READ_TRY, MX_READS_OVERALL, MX_READ_RETRIES);

  /** Webhooks and alerts: a receiver that is down for hours still gets its message. */
  static final ActivityOptions DELIVERIES =
      activity(
          Duration.ofSeconds(30),
          Duration.ofHours(24),
          doubling(Duration.ofSeconds(5), Duration.ofMinutes(10)));

  private ActivityRetries() {}

  /** Each try may take {@code perTry}; tries go on, with doubling pauses, for {@code overall}. */
  private static ActivityOptions activity(Duration perTry, Duration overall, RetryOptions retries) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(perTry)
        .setScheduleToCloseTimeout(overall)
        .setRetryOptions(retries)
        .build();
  }

  private static LocalActivityOptions local(
      Duration perTry, Duration overall, RetryOptions retries) {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(perTry)
        .setScheduleToCloseTimeout(overall)
        .setRetryOptions(retries)
        .setLocalRetryThreshold(LOCAL_RETRY_PAUSE)
        .build();
  }

  private static RetryOptions doubling(Duration firstPause, Duration longestPause) {
    return RetryOptions.newBuilder()
        .setInitialInterval(firstPause)
        .setBackoffCoefficient(2)
        .setMaximumInterval(longestPause)
        .build();
  }
}
