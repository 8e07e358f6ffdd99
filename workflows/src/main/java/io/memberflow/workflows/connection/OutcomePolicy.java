package io.memberflow.workflows.connection;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a connection reacts to each OAuth outcome. It travels in the workflow input, so a running
 * connection keeps the policy it started with when the deployment's configuration changes.
 *
 * @param actions what to do for each {@code error_reason}; every reason must have one
 * @param maxAttempts how many {@code oauth_window_uri}s one connection may use, retries included
 * @param oauthTimeout how long to wait for the OAuth-complete message of one attempt
 * @param resumeWindow how long to wait for a resume after IMPEDED
 * @param retryWindow how long to wait for a user retry after DENIED or a provider error
 */
public record OutcomePolicy(
    Map<ErrorReason, OutcomeAction> actions,
    int maxAttempts,
    Duration oauthTimeout,
    Duration resumeWindow,
    Duration retryWindow) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_OAUTH_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofHours(24);
  public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofHours(1);

  public OutcomePolicy {
    Objects.requireNonNull(actions, "actions");
    for (ErrorReason reason : ErrorReason.values()) {
      if (!actions.containsKey(reason)) {
        throw new IllegalArgumentException("no outcome action for error_reason " + reason);
      }
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    requirePositive(oauthTimeout, "oauthTimeout");
    requirePositive(resumeWindow, "resumeWindow");
    requirePositive(retryWindow, "retryWindow");
    actions = Map.copyOf(actions);
  }

  /** The branch table of DESIGN.md. */
  public static Map<ErrorReason, OutcomeAction> defaultActions() {
    Map<ErrorReason, OutcomeAction> actions = new EnumMap<>(ErrorReason.class);
    actions.put(ErrorReason.CANCELLED, OutcomeAction.RETRY_WITH_FRESH_URI);
    actions.put(ErrorReason.SESSION_ERROR, OutcomeAction.RETRY_WITH_FRESH_URI);
    actions.put(ErrorReason.IMPEDED, OutcomeAction.NOTIFY_AND_AWAIT_RESUME);
    actions.put(ErrorReason.DENIED, OutcomeAction.NOTIFY_AND_AWAIT_RETRY);
    actions.put(ErrorReason.PROVIDER_ERROR, OutcomeAction.ALERT_AND_AWAIT_RETRY);
    actions.put(ErrorReason.SERVER_ERROR, OutcomeAction.ALERT_AND_AWAIT_RETRY);
    return actions;
  }

  public static OutcomePolicy defaults() {
    return new OutcomePolicy(
        defaultActions(),
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_OAUTH_TIMEOUT,
        DEFAULT_RESUME_WINDOW,
        DEFAULT_RETRY_WINDOW);
  }

  public OutcomeAction actionFor(ErrorReason reason) {
    return actions.get(reason);
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }
}
