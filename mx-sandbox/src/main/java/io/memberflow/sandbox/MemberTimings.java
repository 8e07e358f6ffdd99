package io.memberflow.sandbox;

import java.time.Duration;

/**
 * How MX behaves after an OAuth, over time.
 *
 * @param statusLag how long after the OAuth page completed the member's status (and its webhooks)
 *     change: MX lagging behind the browser
 * @param aggregationTime how long the first aggregation after a successful OAuth takes
 * @param aggregationFailureRate the share, 0 to 1, of first aggregations that fail (the member then
 *     reports FAILED)
 */
public record MemberTimings(
    Duration statusLag, Duration aggregationTime, double aggregationFailureRate) {

  public static final MemberTimings DEFAULT =
      new MemberTimings(Duration.ZERO, Duration.ofSeconds(2), 0);

  public MemberTimings {
    if (aggregationFailureRate < 0 || aggregationFailureRate > 1) {
      throw new IllegalArgumentException("aggregationFailureRate must be between 0 and 1");
    }
  }
}
