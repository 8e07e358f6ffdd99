package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxState.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What follows an OAuth at MX: the member's status changes (after the configured lag), MX's
 * webhooks go out, and a successful OAuth starts the member's first aggregation unless it was
 * skipped, which ends with new data or a failure.
 */
final class MemberEvents {

  private final SandboxState state;
  private final MxWebhookSender webhooks;
  private final ScheduledExecutorService timer;
  private volatile MemberTimings timings = MemberTimings.DEFAULT;

  MemberEvents(SandboxState state, MxWebhookSender webhooks, ScheduledExecutorService timer) {
    this.state = state;
    this.webhooks = webhooks;
    this.timer = timer;
  }

  void setTimings(MemberTimings timings) {
    this.timings = timings;
  }

  /** The OAuth page completed with {@code status} for the member (CONNECTED, DENIED, IMPEDED). */
  void oauthEnded(Member member, String status, boolean skipAggregation) {
    MemberTimings now = timings;
    later(
        now.statusLag(),
        () -> {
          boolean aggregating = status.equals("CONNECTED") && !skipAggregation;
          state.recordOutcome(member, status, aggregating);
          told(member);
          if (aggregating) {
            later(now.aggregationTime(), () -> aggregationEnded(member, now));
          }
        });
  }

  /**
   * The member's status changed at the institution (a revoked or expired token, the provider in
   * trouble, the institution gone): MX's webhooks follow as MX sends them.
   */
  void statusChanged(Member member, String status) {
    state.recordStatus(member, status);
    told(member);
  }

  /** MX's member webhook, and its CONNECTION_STATUS webhook where the user must act. */
  private void told(Member member) {
    webhooks.memberUpdated(member);
    if (ConnectionStatuses.sendsConnectionStatusWebhook(member.connectionStatus)) {
      webhooks.connectionStatusChanged(member);
    }
  }

  private void aggregationEnded(Member member, MemberTimings now) {
    boolean failed = ThreadLocalRandom.current().nextDouble() < now.aggregationFailureRate();
    state.recordAggregation(member, failed ? "FAILED" : null);
    webhooks.memberUpdated(member);
    if (!failed) {
      webhooks.aggregated(member, Instant.now());
    }
  }

  /** At once when there is no delay, so that a status read right after the page sees it. */
  private void later(Duration delay, Runnable step) {
    if (delay.isZero()) {
      step.run();
    } else {
      timer.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
