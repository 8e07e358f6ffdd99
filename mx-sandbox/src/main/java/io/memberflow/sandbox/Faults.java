package io.memberflow.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * Trouble to inject into API calls.
 *
 * @param errorRate the share of calls, 0 to 1, answered with one of {@code statuses}
 * @param statuses the error statuses to pick from, in turn
 * @param latency added to every API call before it is answered
 */
public record Faults(double errorRate, List<Integer> statuses, Duration latency) {

  public static final Faults NONE = new Faults(0, List.of(503), Duration.ZERO);

  public Faults {
    if (errorRate < 0 || errorRate > 1) {
      throw new IllegalArgumentException("errorRate must be between 0 and 1");
    }
    statuses = List.copyOf(statuses);
    if (errorRate > 0 && statuses.isEmpty()) {
      throw new IllegalArgumentException("an error rate needs at least one status");
    }
    latency = latency == null ? Duration.ZERO : latency;
  }
}
