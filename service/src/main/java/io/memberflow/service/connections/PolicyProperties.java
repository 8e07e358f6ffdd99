package io.memberflow.service.connections;

import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.OutcomeAction;
import io.memberflow.workflows.connection.OutcomePolicy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outcome policy new connections start with; a running connection keeps the one it started
 * with.
 *
 * @param maxAttempts OAuth windows per connection, retries included (default 5)
 * @param oauthTimeout wait for the OAuth-complete message of one window (default 10m)
 * @param resumeWindow wait for a resume after IMPEDED (default 24h)
 * @param retryWindow wait for a user retry after DENIED or a provider error (default 1h)
 * @param confirmWindow wait for MX to report connected a member whose success the browser relayed
 *     (default 2m); past it the user gets a fresh window
 * @param aggregationWindow wait for MX's first aggregation after CONNECTED (default 30m); past it
 *     {@code connection.aggregation_failed} is sent
 * @param checkupInterval how often a connected member is read at MX, since MX pushes only some
 *     statuses (default 24h)
 * @param staleAfter how old MX's last successful aggregation of a connected member may be before
 *     {@code connection.stale} is sent (default 36h)
 * @param actions overrides of the default action per {@code error_reason}, e.g. {@code
 *     memberflow.policy.actions.DENIED=RETRY_WITH_FRESH_URI}
 */
@Validated
@ConfigurationProperties("memberflow.policy")
public record PolicyProperties(
    @DefaultValue("5") @Min(1) @Max(50) int maxAttempts,
    @DefaultValue("10m") Duration oauthTimeout,
    @DefaultValue("24h") Duration resumeWindow,
    @DefaultValue("1h") Duration retryWindow,
    @DefaultValue("2m") Duration confirmWindow,
    @DefaultValue("30m") Duration aggregationWindow,
    @DefaultValue("24h") Duration checkupInterval,
    @DefaultValue("36h") Duration staleAfter,
    Map<ErrorReason, OutcomeAction> actions) {

  /** Fails start-up on a policy that cannot work (zero or negative durations and the like). */
  public PolicyProperties {
    actions = actions == null ? Map.of() : Map.copyOf(actions);
    toPolicy(
        maxAttempts,
        oauthTimeout,
        resumeWindow,
        retryWindow,
        confirmWindow,
        aggregationWindow,
        checkupInterval,
        staleAfter,
        actions);
  }

  public OutcomePolicy toPolicy() {
    return toPolicy(
        maxAttempts,
        oauthTimeout,
        resumeWindow,
        retryWindow,
        confirmWindow,
        aggregationWindow,
        checkupInterval,
        staleAfter,
        actions);
  }

  private static OutcomePolicy toPolicy(
      int maxAttempts,
      Duration oauthTimeout,
      Duration resumeWindow,
      Duration retryWindow,
      Duration confirmWindow,
      Duration aggregationWindow,
      Duration checkupInterval,
      Duration staleAfter,
      Map<ErrorReason, OutcomeAction> overrides) {
    Map<ErrorReason, OutcomeAction> merged = new EnumMap<>(OutcomePolicy.defaultActions());
    merged.putAll(overrides);
    return new OutcomePolicy(
        merged,
        maxAttempts,
        oauthTimeout,
        resumeWindow,
        retryWindow,
        confirmWindow,
        aggregationWindow,
        checkupInterval,
        staleAfter);
  }
}
