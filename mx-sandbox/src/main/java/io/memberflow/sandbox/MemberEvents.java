package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxState.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What happens to members at MX over time: after an OAuth the member's status changes (after the
 * configured lag), MX's webhooks go out, and a successful OAuth starts an aggregation unless it was
 * skipped; aggregations asked for keep MX's rules; MX aggregates connected members in the
 * background about daily, by the sandbox's clock. Every aggregation ends with new data or a
 * failure.
 */
final class MemberEvents {

  /** MX aggregates a member in the background about this often. */
  static final Duration BACKGROUND_EVERY = Duration.ofHours(24);

  /** A requested aggregation keeps the background one away this long. */
  static final Duration BACKGROUND_PAUSE = Duration.ofHours(20);

  /** MX starts no requested aggregation within this long after a successful one. */
  static final Duration REQUEST_PAUSE = Duration.ofHours(3);

  private static final Set<String> AGGREGATED_IN_BACKGROUND =
      Set.of("CONNECTED", "UPDATED", "CREATED");

  /** What MX does with a request to aggregate a member. */
  enum Asked {
    /** A new aggregation starts: 202. */
    STARTED,
    /** One asked for already runs, or MX will not start one now: 202, nothing new. */
    ACCEPTED,
    /** MX's background aggregation runs: 409. */
    CONFLICT
  }

  private final SandboxState state;
  private final MxWebhookSender webhooks;
  private final ScheduledExecutorService timer;
  private final SandboxClock clock;
  private volatile MemberTimings timings = MemberTimings.DEFAULT;

  MemberEvents(
      SandboxState state,
      MxWebhookSender webhooks,
      ScheduledExecutorService timer,
      SandboxClock clock) {
    this.state = state;
    this.webhooks = webhooks;
    this.timer = timer;
    this.clock = clock;
  }

  /** Looks for members due for MX's background aggregation, every second of real time. */
  void startBackgroundAggregations() {
    timer.scheduleWithFixedDelay(this::aggregateDueMembers, 1, 1, TimeUnit.SECONDS);
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
          state.recordOutcome(member, status);
          if (status.equals("CONNECTED") && !skipAggregation) {
            aggregate(member, false, now);
          }
          told(member);
        });
  }

  /**
   * A requested aggregation, by MX's rules: not within three hours of a success, 202 when one asked
   * for already runs, 409 when the background one does.
   */
  Asked requestAggregation(Member member) {
    Instant now = clock.now();
    if (member.isBeingAggregated) {
      return member.inBackground ? Asked.CONFLICT : Asked.ACCEPTED;
    }
    String success = member.successfullyAggregatedAt;
    if (!ConnectionStatuses.isConnected(member.connectionStatus)
        || (success != null && Instant.parse(success).plus(REQUEST_PAUSE).isAfter(now))) {
      return Asked.ACCEPTED;
    }
    member.backgroundPausedUntil = now.plus(BACKGROUND_PAUSE);
    aggregate(member, false, timings);
    return Asked.STARTED;
  }

  private void aggregateDueMembers() {
    Instant now = clock.now();
    for (Member member : state.allMembers()) {
      String last = member.aggregatedAt;
      if (!member.isBeingAggregated
          && AGGREGATED_IN_BACKGROUND.contains(member.connectionStatus)
          && last != null
          && !Instant.parse(last).plus(BACKGROUND_EVERY).isAfter(now)
          && !member.backgroundPausedUntil.isAfter(now)) {
        aggregate(member, true, timings);
      }
    }
  }

  private void aggregate(Member member, boolean inBackground, MemberTimings now) {
    state.recordAggregationStart(member, clock.now(), inBackground);
    later(now.aggregationTime(), () -> aggregationEnded(member, now));
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
    boolean inBackground = member.inBackground;
    Instant at = clock.now();
    state.recordAggregation(member, failed ? "FAILED" : null, at);
    webhooks.memberUpdated(member);
    if (!failed) {
      webhooks.aggregated(member, at, inBackground);
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
