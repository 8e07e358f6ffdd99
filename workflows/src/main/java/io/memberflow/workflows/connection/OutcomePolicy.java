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
 * @param confirmWindow how long MX may take to report connected a member whose success the browser
 *     relayed
 * @param aggregationWindow how long MX may take for an aggregation it follows (after CONNECTED, a
 *     repair or a refresh) before it counts as failed
 * @param checkupInterval how often a connected member is read at MX, since MX pushes only some
 *     statuses (null in connections started before it existed: the default)
 * @param staleAfter how old MX's last successful aggregation of a connected member may be before
 *     {@code connection.stale} (null as above: the default)
 */
public record OutcomePolicy(
    Map<ErrorReason, OutcomeAction> actions,
    int maxAttempts,
    Duration oauthTimeout,
    Duration resumeWindow,
    Duration retryWindow,
    Duration confirmWindow,
    Duration aggregationWindow,
    Duration checkupInterval,
    Duration staleAfter) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_OAUTH_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofHours(24);
  public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofHours(1);
  public static final Duration DEFAULT_CONFIRM_WINDOW = Duration.ofMinutes(2);
  public static final Duration DEFAULT_AGGREGATION_WINDOW = Duration.ofMinutes(30);
  public static final Duration DEFAULT_CHECKUP_INTERVAL = Duration.ofHours(24);
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(36);

  public OutcomePolicy {
    Objects.requireNonNull(actions, "actions");
    for (ErrorReason reason : ErrorReason.values()) {
      if (!actions.containsKey(reason)) {
        throw new IllegalArgumentException("no outcome action for error_reason " + reason);
      }
      if (actions.get(reason) == OutcomeAction.CONFIRM_WITH_MX) {
        throw new IllegalArgumentException("error_reason " + reason + " cannot connect");
      }
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    requirePositive(oauthTimeout, "oauthTimeout");
    requirePositive(resumeWindow, "resumeWindow");
    requirePositive(retryWindow, "retryWindow");
    requirePositive(confirmWindow, "confirmWindow");
    requirePositive(aggregationWindow, "aggregationWindow");
    checkupInterval = checkupInterval == null ? DEFAULT_CHECKUP_INTERVAL : checkupInterval;
    staleAfter = staleAfter == null ? DEFAULT_STALE_AFTER : staleAfter;
    requirePositive(checkupInterval, "checkupInterval");
    requirePositive(staleAfter, "staleAfter");
    actions = Map.copyOf(actions);
  }

  /** Each error_reason's own row of the branch table. */
  public static Map<ErrorReason, OutcomeAction> defaultActions() {
    Map<ErrorReason, OutcomeAction> actions = new EnumMap<>(ErrorReason.class);
    for (ErrorReason reason : ErrorReason.values()) {
      actions.put(reason, OutcomeAction.defaultFor(reason));
    }
    return actions;
  }

  public static OutcomePolicy defaults() {
    return new OutcomePolicy(
        defaultActions(),
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_OAUTH_TIMEOUT,
        DEFAULT_RESUME_WINDOW,
        DEFAULT_RETRY_WINDOW,
        DEFAULT_CONFIRM_WINDOW,
        DEFAULT_AGGREGATION_WINDOW,
        DEFAULT_CHECKUP_INTERVAL,
        DEFAULT_STALE_AFTER);
  }

  public OutcomeAction actionFor(ErrorReason reason) {
    return actions.get(reason);
  }

  /** The row of the branch table that an OAuth-complete message takes. */
  OutcomeAction actionFor(OAuthMessage message) {
    return message.succeeded() ? OutcomeAction.CONFIRM_WITH_MX : actions.get(message.errorReason());
  }

  /** How long a connection waits for {@code wait} before its window ends. */
  Duration window(Wait wait) {
    return switch (wait) {
      case OAUTH -> oauthTimeout;
      case CONFIRMATION -> confirmWindow;
      case RESUME -> resumeWindow;
      case RETRY -> retryWindow;
      case AGGREGATION -> aggregationWindow;
      case CHECKUP -> checkupInterval;
      case FIRST_WINDOW, MX_VERDICT, NOTHING ->
          throw new IllegalArgumentException(wait + " has no window");
    };
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }
}
