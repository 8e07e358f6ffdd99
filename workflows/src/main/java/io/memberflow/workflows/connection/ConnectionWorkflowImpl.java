package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import com.uber.m3.tally.Scope;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.notifications.ConnectionNotification;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.memberflow.workflows.notifications.NotificationType;
import io.memberflow.workflows.notifications.OperatorAlert;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

public class ConnectionWorkflowImpl implements ConnectionWorkflow {

  private static final Logger log = Workflow.getLogger(ConnectionWorkflowImpl.class);

  /** MX calls: retried with backoff for ten minutes, then the connection fails as unavailable. */
  static final ActivityOptions MX_CALLS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .build())
          .build();

  /** Webhooks and alerts: a receiver that is down for hours still gets its message. */
  static final ActivityOptions DELIVERIES =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofHours(24))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofMinutes(10))
                  .build())
          .build();

  private enum UserAction {
    RETRY(ConnectionEvent.USER_RETRIED),
    RESUME(ConnectionEvent.USER_RESUMED);

    final ConnectionEvent event;

    UserAction(ConnectionEvent event) {
      this.event = event;
    }
  }

  private final MxGateway mx = Workflow.newActivityStub(MxGateway.class, MX_CALLS);
  private final ConnectionNotifier notifier =
      Workflow.newActivityStub(ConnectionNotifier.class, DELIVERIES);
  private final OperatorAlerter alerter =
      Workflow.newActivityStub(OperatorAlerter.class, DELIVERIES);

  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Promise<Void>> deliveries = new ArrayList<>();

  private final ConnectionRequest request;
  private final OutcomePolicy policy;
  private final MxApi api;
  private String userGuid;
  private String memberGuid;
  private String oauthWindowUri;
  private int attempt;
  private ErrorReason lastErrorReason;
  private FailureReason failureReason;
  /** Whether this run keeps search attributes; runs started before they existed do not. */
  private boolean keepsSearchAttributes;
  private ConnectionSearchAttributes.Shown shown = ConnectionSearchAttributes.Shown.AT_START;
  private String failureDetail;

  // Requests from updates, handed to the main loop; each handler waits for its own to be done.
  private OAuthMessage pendingMessage;
  private int messagesReceived;
  private int messagesHandled;
  private UserAction pendingAction;
  private int actionsReceived;
  private int actionsHandled;
  private boolean cancelRequested;

  /** Runs before any update or query, so their handlers always see the request. */
  @WorkflowInit
  public ConnectionWorkflowImpl(ConnectionRequest request) {
    this.request = request;
    this.policy = request.policy();
    this.api = MxApi.orPlatform(request.mxApi());
  }

  @Override
  public ConnectionView connect(ConnectionRequest ignored) {
    long startedAt = Workflow.currentTimeMillis();
    keepsSearchAttributes =
        Workflow.getVersion("search-attributes", Workflow.DEFAULT_VERSION, 1) == 1;
    metrics().counter("memberflow_connections_started").inc(1);

    if (createMember() && !cancelIfRequested()) {
      fire(ConnectionEvent.MEMBER_READY);
      issueFreshUri();
    }
    while (!state().isTerminal()) {
      if (!cancelIfRequested()) {
        step();
      }
    }

    metrics()
        .tagged(Map.of("outcome", state().name()))
        .counter("memberflow_connections_finished")
        .inc(1);
    metrics()
        .tagged(Map.of("outcome", state().name()))
        .timer("memberflow_connection_duration")
        .record(
            com.uber.m3.util.Duration.ofMillis(Workflow.currentTimeMillis() - startedAt));
    awaitDeliveries();
    return view();
  }

  private void step() {
    ConnectionState state = state();
    if (state == AWAITING_OAUTH) {
      awaitOAuthOutcome();
    } else if (ConnectionLifecycle.isWaitingOnUser(state)) {
      awaitUserAction(state == ACTION_REQUIRED ? policy.resumeWindow() : policy.retryWindow());
    } else {
      throw new IllegalStateException("no step for state " + state);
    }
  }

  private boolean createMember() {
    try {
      MxUser user = mx.ensureUser(request.userId(), api);
      userGuid = user.guid();
      MxMember member =
          mx.createOAuthMember(
              new NewOAuthMember(
                  userGuid,
                  request.memberId(),
                  request.institutionCode(),
                  request.windowOptions()),
              api);
      memberGuid = member.guid();
      return true;
    } catch (ActivityFailure failure) {
      failOnMx(failure);
      return false;
    }
  }

  private void issueFreshUri() {
    attempt++;
    oauthWindowUri = null;
    try {
      oauthWindowUri =
          mx.requestOAuthWindowUri(
              new OAuthWindowRequest(userGuid, memberGuid, request.windowOptions()), api);
      metrics().counter("memberflow_oauth_uris_issued").inc(1);
      publishToVisibility();
    } catch (ActivityFailure failure) {
      failOnMx(failure);
    }
  }

  private void awaitOAuthOutcome() {
    // A message accepted in the same task as the timer fired still counts: look at what arrived,
    // not at whether the wait timed out.
    Workflow.await(policy.oauthTimeout(), () -> pendingMessage != null || cancelRequested);
    if (cancelRequested) {
      return;
    }
    if (pendingMessage == null) {
      confirmWithMx();
      return;
    }
    handle(pendingMessage);
    pendingMessage = null;
    messagesHandled++;
  }

  /** The failsafe when no message came: the browser may have lost it after a successful OAuth. */
  private void confirmWithMx() {
    countOAuthResult("timeout");
    oauthWindowUri = null;
    MemberStatus status;
    try {
      status = mx.readMemberStatus(userGuid, memberGuid, api);
    } catch (ActivityFailure failure) {
      log.warn("Could not read member status after the OAuth timeout", failure);
      status = null;
    }
    if (status != null && status.reportsConnected()) {
      fire(ConnectionEvent.TIMED_OUT_BUT_CONNECTED);
      notifyBackend(NotificationType.CONNECTED);
    } else {
      fail(
          ConnectionEvent.TIMED_OUT,
          FailureReason.OAUTH_TIMED_OUT,
          "no OAuth-complete message within "
              + policy.oauthTimeout()
              + "; MX reports "
              + (status == null ? "no status" : status.connectionStatus()));
    }
  }

  private void handle(OAuthMessage message) {
    oauthWindowUri = null;
    if (message.succeeded()) {
      countOAuthResult("success");
      fire(ConnectionEvent.OAUTH_SUCCEEDED);
      notifyBackend(NotificationType.CONNECTED);
      return;
    }
    ErrorReason reason = message.errorReason();
    lastErrorReason = reason;
    countOAuthResult(reason.name());
    OutcomeAction action = policy.actionFor(reason);
    if (action == OutcomeAction.ALERT_AND_AWAIT_RETRY) {
      raiseAlert(reason);
    }
    if (attempt >= policy.maxAttempts()) {
      fail(
          ConnectionEvent.ATTEMPTS_EXHAUSTED,
          FailureReason.ATTEMPTS_EXHAUSTED,
          reason + " on attempt " + attempt + " of " + policy.maxAttempts());
      return;
    }
    fire(action.event());
    switch (action) {
      case RETRY_WITH_FRESH_URI -> issueFreshUri();
      case NOTIFY_AND_AWAIT_RESUME -> notifyBackend(NotificationType.ACTION_REQUIRED);
      case NOTIFY_AND_AWAIT_RETRY -> notifyBackend(NotificationType.LOGIN_FAILED);
      case ALERT_AND_AWAIT_RETRY -> notifyBackend(NotificationType.PROVIDER_UNAVAILABLE);
    }
  }

  private void awaitUserAction(Duration window) {
    Workflow.await(window, () -> pendingAction != null || cancelRequested);
    if (cancelRequested) {
      return;
    }
    if (pendingAction == null) {
      fail(
          ConnectionEvent.WINDOW_ENDED,
          FailureReason.WINDOW_ENDED,
          "no " + (state() == ACTION_REQUIRED ? "resume" : "retry") + " within " + window);
      return;
    }
    fire(pendingAction.event);
    pendingAction = null;
    issueFreshUri();
    actionsHandled++;
  }

  private boolean cancelIfRequested() {
    if (!cancelRequested || state().isTerminal()) {
      return false;
    }
    oauthWindowUri = null;
    fire(ConnectionEvent.CANCEL);
    notifyBackend(NotificationType.CANCELLED);
    return true;
  }

  private void failOnMx(ActivityFailure failure) {
    FailureReason reason = FailureReason.MX_UNAVAILABLE;
    String detail = failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage();
    if (failure.getCause() instanceof ApplicationFailure cause) {
      detail = cause.getOriginalMessage();
      if (MxGateway.MEMBER_CANNOT_USE_OAUTH.equals(cause.getType())) {
        reason = FailureReason.OAUTH_NOT_SUPPORTED;
      } else if (MxGateway.REJECTED.equals(cause.getType())) {
        reason = FailureReason.MX_REJECTED;
      }
    }
    fail(ConnectionEvent.MX_FAILED, reason, detail);
  }

  private void fail(ConnectionEvent event, FailureReason reason, String detail) {
    failureReason = reason;
    failureDetail = detail;
    fire(event);
    notifyBackend(state() == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
  }

  private void fire(ConnectionEvent event) {
    ConnectionState from = state();
    ConnectionState to = lifecycle.fire(event);
    metrics()
        .tagged(Map.of("from", from.name(), "to", to.name()))
        .counter("memberflow_connection_transitions")
        .inc(1);
    transitions.add(
        new Transition(from, to, event, Instant.ofEpochMilli(Workflow.currentTimeMillis())));
    publishToVisibility();
  }

  /** Keeps the search attributes that list and count connections in step with the state. */
  private void publishToVisibility() {
    if (!keepsSearchAttributes) {
      return;
    }
    var now = new ConnectionSearchAttributes.Shown(state(), attempt, lastErrorReason);
    var changes = ConnectionSearchAttributes.changes(shown, now);
    if (!changes.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changes.toArray(SearchAttributeUpdate<?>[]::new));
      shown = now;
    }
  }

  private void notifyBackend(NotificationType type) {
    ConnectionNotification notification =
        new ConnectionNotification(
            "msg_" + Workflow.randomUUID(),
            type,
            Instant.ofEpochMilli(Workflow.currentTimeMillis()),
            request.connectionId(),
            request.userId(),
            request.memberId(),
            memberGuid,
            request.institutionCode(),
            state(),
            attempt,
            lastErrorReason);
    deliveries.add(Async.procedure(notifier::deliver, notification));
  }

  private void raiseAlert(ErrorReason reason) {
    OperatorAlert alert =
        new OperatorAlert(
            request.connectionId(),
            request.institutionCode(),
            reason,
            memberGuid,
            Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    deliveries.add(Async.procedure(alerter::raise, alert));
  }

  /** Webhooks and alerts outlive the outcome they report; the workflow ends once they are out. */
  private void awaitDeliveries() {
    for (Promise<Void> delivery : deliveries) {
      try {
        delivery.get();
      } catch (ActivityFailure failure) {
        log.error("A notification could not be delivered within its retry budget", failure);
      }
    }
  }

  private void countOAuthResult(String result) {
    metrics().tagged(Map.of("result", result)).counter("memberflow_oauth_results").inc(1);
  }

  /**
   * Workflow-side metrics: silent during replay, so each event counts once. Every series carries
   * the bounded institution label.
   */
  private Scope metrics() {
    return Workflow.getMetricsScope()
        .tagged(
            Map.of(
                "institution",
                request.metricsInstitution() == null ? "other" : request.metricsInstitution()));
  }

  private ConnectionState state() {
    return lifecycle.state();
  }

  // --- queries and updates ---

  @Override
  public ConnectionView view() {
    ConnectionState state = state();
    return new ConnectionView(
        request.connectionId(),
        request.userId(),
        request.memberId(),
        request.institutionCode(),
        api,
        request.windowOptions(),
        state,
        userGuid,
        memberGuid,
        attempt,
        policy.maxAttempts(),
        state == AWAITING_OAUTH ? oauthWindowUri : null,
        lastErrorReason,
        failureReason,
        failureDetail,
        List.copyOf(transitions));
  }

  @Override
  public ConnectionView awaitFirstWindow() {
    Workflow.await(() -> oauthWindowUri != null || (state() != STARTING && state() != AWAITING_OAUTH));
    return view();
  }

  @Override
  public void validateOAuthMessage(OAuthMessage message) {
    rejectIfEnded();
    if (memberGuid == null || !memberGuid.equals(message.memberGuid())) {
      // The connection's own guid is not named: the refusal must not teach a forger the answer.
      throw Rejections.invalid(
          "member_guid " + message.memberGuid() + " does not belong to this connection");
    }
    ConnectionEvent event =
        message.succeeded()
            ? ConnectionEvent.OAUTH_SUCCEEDED
            : policy.actionFor(message.errorReason()).event();
    if (!lifecycle.accepts(event) || oauthWindowUri == null) {
      throw Rejections.conflict("no OAuth window is open: the connection is " + state());
    }
    if (pendingMessage != null) {
      throw Rejections.conflict("a message for this OAuth window is already being handled");
    }
  }

  @Override
  public ConnectionView relayOAuthMessage(OAuthMessage message) {
    pendingMessage = message;
    int ticket = ++messagesReceived;
    Workflow.await(() -> messagesHandled >= ticket || state().isTerminal());
    return view();
  }

  @Override
  public void validateRetry() {
    validateUserAction(UserAction.RETRY, "retry applies after DENIED or a provider error");
  }

  @Override
  public ConnectionView retry() {
    return requestUserAction(UserAction.RETRY);
  }

  @Override
  public void validateResume() {
    validateUserAction(UserAction.RESUME, "resume applies after IMPEDED");
  }

  @Override
  public ConnectionView resume() {
    return requestUserAction(UserAction.RESUME);
  }

  @Override
  public void validateCancel() {
    rejectIfEnded();
  }

  @Override
  public ConnectionView cancel() {
    cancelRequested = true;
    Workflow.await(() -> state().isTerminal());
    return view();
  }

  private void validateUserAction(UserAction action, String rule) {
    rejectIfEnded();
    if (!lifecycle.accepts(action.event)) {
      throw Rejections.conflict(rule + "; the connection is " + state());
    }
    if (pendingAction != null) {
      throw Rejections.conflict("a " + pendingAction.name().toLowerCase() + " is already under way");
    }
  }

  private ConnectionView requestUserAction(UserAction action) {
    pendingAction = action;
    int ticket = ++actionsReceived;
    Workflow.await(() -> actionsHandled >= ticket || state().isTerminal());
    return view();
  }

  private void rejectIfEnded() {
    if (state().isTerminal()) {
      throw Rejections.conflict("the connection has ended: it is " + state());
    }
  }
}
