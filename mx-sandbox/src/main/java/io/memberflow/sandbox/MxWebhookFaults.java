package io.memberflow.sandbox;

import java.time.Duration;

/**
 * What can go wrong with MX's webhooks on their way, as it does with MX's own.
 *
 * @param lossRate the share, 0 to 1, that never arrive
 * @param duplicateRate the share, 0 to 1, that arrive twice
 * @param delay how late each one leaves
 */
public record MxWebhookFaults(double lossRate, double duplicateRate, Duration delay) {

  public static final MxWebhookFaults NONE = new MxWebhookFaults(0, 0, Duration.ZERO);

  public MxWebhookFaults {
    if (lossRate < 0 || lossRate > 1 || duplicateRate < 0 || duplicateRate > 1) {
      throw new IllegalArgumentException("rates must be between 0 and 1");
    }
    delay = delay == null ? Duration.ZERO : delay;
  }
}
