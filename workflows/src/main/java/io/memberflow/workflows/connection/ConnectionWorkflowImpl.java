package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.connection.OutcomeAction.Wait;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxMemberNews;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.notifications.ConnectionNotification;
import io.memberflow.workflows.notifications.NotificationType;
import io.memberflow.workflows.notifications.OperatorAlert;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * One connection. The main loop owns the waiting: it takes the next request (a relayed message, a
 * retry, a resume, a cancel) from the list the update handlers fill, or, when the wait's window
 * ends first, acts on the timeout. What an OAuth outcome does is one row of {@link
 * OutcomeAction}; which states follow which is {@link ConnectionLifecycle}.
 */
public class ConnectionWorkflowImpl implements ConnectionWorkflow {

  private static final Logger log = Workflow.getLogger(ConnectionWorkflowImpl.class);

  /** The first pause between confirmation reads; it doubles up to {@link #MAX_READ_PAUSE}. */
  static final Duration FIRST_READ_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_READ_PAUSE = Duration.ofSeconds(15);
  /** The first pause between reads that follow the aggregation; it doubles up to a minute. */
  static final Duration FIRST_AGGREGATION_PAUSE = Duration.ofSeconds(2);
  static final Duration MAX_AGGREGATION_PAUSE = Duration.ofMinutes(1);

  /** What the update handlers ask the main loop for. */
  private enum Kind {
    MESSAGE(null),
    RETRY(ConnectionEvent.USER_RETRIED),
    RESUME(ConnectionEvent.USER_RESUMED),
    CANCEL(ConnectionEvent.CANCEL);

    /** The user action's lifecycle event; a message's depends on the message. */
    final ConnectionEvent event;

    Kind(ConnectionEvent event) {
      this.event = event;
    }
  }

  /** One request, and the promise its handler waits on until the main loop has acted on it. */
  private record Request(Kind kind, OAuthMessage message, CompletablePromise<Void> done) {}

  private final MxGateway mx = Workflow.newActivityStub(MxGateway.class, ActivityRetries.MX_CALLS);
  private final MxGateway mxReads = Workflow.newActivityStub(MxGateway.class, ActivityRetries.MX_READS);
  private final Deliveries deliveries;

  /** Requests in arrival order; the validators read it, the main loop drains it. */
  private final List<Request> pending = new ArrayList<>();
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private final List<Transition> transitions = new ArrayList<>();

  private final ConnectionRequest request;
  private final OutcomePolicy policy;
  private final MxApi api;
  private final ConnectionMetrics metrics;
  private String userGuid;
  private String memberGuid;
  private String oauthWindowUri;
  private int attempt;
  private Wait waitingFor = Wait.OAUTH;
  private long waitingSince;
  /** Whether MX's webhooks reach this run; runs started before they existed ignore them. */
  private boolean hearsMx;
  /** MX sent news of the member since it was last read. */
  private boolean mxNews;
  /** The windows whose signed APP redirect has been used: each works once. */
  private final Set<Integer> usedRedirects = new HashSet<>();
  private AggregationState aggregation;
  private String aggregationMxStatus;
  private ErrorReason lastErrorReason;
  private FailureReason failureReason;
  private String failureDetail;
  /** Whether this run keeps search attributes; runs started before they existed do not. */
  private boolean keepsSearchAttributes;
  /**
   * Whether this run started on the latest workflow: it records one version marker, for the
   * latest change, and does all that the changes before it brought; a marker per change cost a
   * history event each. Runs started earlier record a marker per change where it applies, and
   * replay them there ({@link #since}).
   */
  private boolean startedOnLatest;
  /**
   * Whether this run shows visibility the state it waits in, once per wait, rather than every
   * state it passes through (one upsert per transition, each a history event and a visibility
   * write); runs started before show every transition. The latest change.
   */
  private boolean showsWhereItWaits;
  private ConnectionSearchAttributes.Shown shown = ConnectionSearchAttributes.Shown.AT_START;

  /** Runs before any update or query, so their handlers always see the request. */
  @WorkflowInit
  public ConnectionWorkflowImpl(ConnectionRequest request) {
    this.request = request;
    this.policy = request.policy();
    this.api = MxApi.orPlatform(request.mxApi());
    this.metrics = new ConnectionMetrics(request.metricsInstitution());
    this.deliveries = new Deliveries(request.deliversWebhooks());
  }

  @Override
  public ConnectionView connect(ConnectionRequest ignored) {
    long startedAt = Workflow.currentTimeMillis();
    startedOnLatest =
        Workflow.getVersion("visibility-where-it-waits", Workflow.DEFAULT_VERSION, 1) == 1;
    showsWhereItWaits = startedOnLatest;
    keepsSearchAttributes = since("search-attributes");
    hearsMx = since("mx-webhooks");
    metrics.started();

    if (createMember()) {
      // While the member is made, only a cancel can be asked for: nothing else is legal yet.
      if (pending.isEmpty()) {
        fire(ConnectionEvent.MEMBER_READY);
        issueFreshUri();
      } else {
        act(next());
      }
    }
    while (!state().isTerminal()) {
      if (waitingFor == Wait.CONFIRMATION) {
        awaitConfirmation();
        continue;
      }
      // A request accepted in the same task as the timer fired still counts: look at what
      // arrived, not at whether the wait timed out.
      showWhereItWaits();
      Workflow.await(leftOf(policy.window(waitingFor)), () -> !pending.isEmpty() || mxNews);
      if (!pending.isEmpty()) {
        act(next());
      } else if (mxNews) {
        learnFromMx();
      } else {
        onWindowEnded();
      }
    }

    metrics.finished(state(), Workflow.currentTimeMillis() - startedAt);
    showWhereItWaits();
    answerWhatIsLeft();
    if (state() == CONNECTED && since("follow-aggregation")) {
      followAggregation();
    }
    deliveries.awaitAll();
    Workflow.await(Workflow::isEveryHandlerFinished);
    return view();
  }

  /** Whether this run has {@code change}: every run on the latest workflow has them all. */
  private boolean since(String change) {
    return startedOnLatest || Workflow.getVersion(change, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  // --- the branch table, acted on ---

  private void act(Request next) {
    if (next.kind() == Kind.MESSAGE && next.message().redirectAttempt() != null) {
      usedRedirects.add(next.message().redirectAttempt());
    }
    if (next.kind() == Kind.MESSAGE && alreadyReached(next.message())) {
      next.done().complete(null);
      return;
    }
    // Of two requests that cannot both apply (a cancel and a success, say), the one that comes
    // second hears that it did not, and what the connection is now.
    if (state().isTerminal() || !stillApplies(next)) {
      next.done().completeExceptionally(
          Rejections.movedOn("the connection moved on before this could apply: it is " + state()));
      return;
    }
    switch (next.kind()) {
      case MESSAGE -> react(next.message());
      case RETRY, RESUME -> {
        fire(next.kind().event);
        issueFreshUri();
      }
      case CANCEL -> {
        oauthWindowUri = null;
        fire(ConnectionEvent.CANCEL);
        notifyBackend(NotificationType.CANCELLED);
      }
    }
    next.done().complete(null);
  }

  /** An OAuth-complete message: its row of the branch table. */
  private void react(OAuthMessage message) {
    oauthWindowUri = null;
    OutcomeAction action = policy.actionFor(message);
    if (message.succeeded() && !since("confirm-with-mx")) {
      action = OutcomeAction.CONNECT_UNCONFIRMED;
    }
    if (message.succeeded()) {
      metrics.oauthResult("success");
    } else {
      lastErrorReason = message.errorReason();
      metrics.oauthResult(lastErrorReason.name());
    }
    if (action.alertsOperators()) {
      raiseAlert(lastErrorReason);
    }
    if (action.then().needsAnotherWindow() && attempt >= policy.maxAttempts()) {
      fail(
          ConnectionEvent.ATTEMPTS_EXHAUSTED,
          FailureReason.ATTEMPTS_EXHAUSTED,
          lastErrorReason + " on attempt " + attempt + " of " + policy.maxAttempts());
      return;
    }
    waitFor(action.then());
    fire(action.event());
    if (action.webhook() != null) {
      notifyBackend(action.webhook());
    }
    if (action.fetchesFreshUri()) {
      issueFreshUri();
    }
    if (action.then() == Wait.CONFIRMATION) {
      // MX usually agrees already: the relay then answers CONNECTED.
      connectIfMxAgrees();
    }
  }

  /**
   * Reads MX with growing pauses until it reports the member connected or the confirmation window
   * ends; a cancel still applies meanwhile.
   */
  private void awaitConfirmation() {
    Duration pause = FIRST_READ_PAUSE;
    while (state() == CONFIRMING) {
      Duration left = leftOf(policy.confirmWindow());
      if (left.isZero()) {
        onNotConfirmed();
        return;
      }
      showWhereItWaits();
      Workflow.await(shorter(left, pause), () -> !pending.isEmpty() || mxNews);
      if (!pending.isEmpty()) {
        act(next());
      } else {
        mxNews = false;
        connectIfMxAgrees();
        pause = shorter(pause.multipliedBy(2), MAX_READ_PAUSE);
      }
    }
  }

  private void connectIfMxAgrees() {
    MemberStatus status = readStatus(mxReads);
    if (status != null && status.reportsConnected()) {
      connectAsMxReports();
    }
  }

  private void connectAsMxReports() {
    metrics.confirmation("confirmed");
    waitFor(Wait.NOTHING);
    fire(ConnectionEvent.MX_CONFIRMED);
    notifyBackend(NotificationType.CONNECTED);
  }

  /**
   * MX's webhook said something of the member while the connection waits for the browser's
   * message: what MX reports now is that message, in case the browser's was lost.
   */
  private void learnFromMx() {
    mxNews = false;
    if (waitingFor != Wait.OAUTH) {
      return;
    }
    MemberStatus status = readStatus(mxReads);
    if (status == null) {
      return;
    }
    if (status.reportsConnected()) {
      oauthWindowUri = null;
      connectAsMxReports();
    } else if ("DENIED".equals(status.connectionStatus()) || "IMPEDED".equals(status.connectionStatus())) {
      react(OAuthMessage.error(memberGuid, ErrorReason.valueOf(status.connectionStatus())));
    }
  }

  /**
   * After CONNECTED, MX fetches the member's data; integrators need it before they read accounts.
   * Reads MX with growing pauses (at once on MX's news) until the aggregation ended or its window
   * did. The connection stays CONNECTED either way: the sign-in worked.
   */
  private void followAggregation() {
    if (Boolean.TRUE.equals(request.windowOptions().skipAggregation())) {
      aggregation = AggregationState.SKIPPED;
      return;
    }
    aggregation = AggregationState.AGGREGATING;
    waitFor(Wait.NOTHING);
    Duration pause = FIRST_AGGREGATION_PAUSE;
    MemberStatus last = null;
    while (aggregation == AggregationState.AGGREGATING) {
      Duration left = leftOf(policy.aggregationWindow());
      if (left.isZero()) {
        aggregationEnded(AggregationState.FAILED, last == null ? null : last.connectionStatus());
        return;
      }
      Workflow.await(shorter(left, pause), () -> mxNews);
      mxNews = false;
      MemberStatus status = readStatus(mxReads);
      last = status == null ? last : status;
      if (status != null && !Boolean.TRUE.equals(status.beingAggregated())) {
        if (!status.reportsConnected()) {
          aggregationEnded(AggregationState.FAILED, status.connectionStatus());
        } else if (status.successfullyAggregatedAt() != null) {
          aggregationEnded(AggregationState.DATA_READY, null);
        }
      }
      pause = shorter(pause.multipliedBy(2), MAX_AGGREGATION_PAUSE);
    }
  }

  private void aggregationEnded(AggregationState outcome, String mxStatus) {
    aggregation = outcome;
    aggregationMxStatus = mxStatus;
    metrics.aggregation(outcome == AggregationState.DATA_READY ? "data_ready" : "failed");
    notifyBackend(
        outcome == AggregationState.DATA_READY
            ? NotificationType.DATA_READY
            : NotificationType.AGGREGATION_FAILED);
  }

  /** What is left of {@code window} since the connection began its current wait; never negative. */
  private Duration leftOf(Duration window) {
    Duration left = window.minusMillis(Workflow.currentTimeMillis() - waitingSince);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private void waitFor(Wait wait) {
    waitingFor = wait;
    waitingSince = Workflow.currentTimeMillis();
  }

  /**
   * MX never reported the relayed success: the OAuth did not happen (or MX lost it), so the user
   * signs in again in a fresh window; that counts as an attempt.
   */
  private void onNotConfirmed() {
    metrics.confirmation("not_confirmed");
    String detail = "MX did not report the member connected within " + policy.confirmWindow();
    if (attempt >= policy.maxAttempts()) {
      fail(
          ConnectionEvent.ATTEMPTS_EXHAUSTED,
          FailureReason.ATTEMPTS_EXHAUSTED,
          detail + " on attempt " + attempt + " of " + policy.maxAttempts());
      return;
    }
    fire(ConnectionEvent.NOT_CONFIRMED);
    issueFreshUri();
  }

  /** The window of what the connection waited for ended with nothing from the user. */
  private void onWindowEnded() {
    if (waitingFor == Wait.OAUTH) {
      confirmWithMx();
      return;
    }
    Duration window = policy.window(waitingFor);
    fail(
        ConnectionEvent.WINDOW_ENDED,
        FailureReason.WINDOW_ENDED,
        "no " + (waitingFor == Wait.RESUME ? "resume" : "retry") + " within " + window);
  }

  /** The failsafe when no message came: the browser may have lost it after a successful OAuth. */
  private void confirmWithMx() {
    metrics.oauthResult("timeout");
    oauthWindowUri = null;
    MemberStatus status = readStatus(mx);
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

  // --- MX ---

  /** MX's view of the member, or null when MX could not be read (the caller decides). */
  private MemberStatus readStatus(MxGateway gateway) {
    try {
      return gateway.readMemberStatus(userGuid, memberGuid, api);
    } catch (ActivityFailure failure) {
      log.warn("Could not read the member's status at MX", failure);
      return null;
    }
  }

  private boolean createMember() {
    try {
      userGuid = mx.ensureUser(request.userId(), api).guid();
      MxMember member =
          mx.createOAuthMember(
              new NewOAuthMember(
                  userGuid, request.memberId(), request.institutionCode(), request.windowOptions()),
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
    waitFor(Wait.OAUTH);
    oauthWindowUri = null;
    try {
      oauthWindowUri =
          mx.requestOAuthWindowUri(
              new OAuthWindowRequest(userGuid, memberGuid, request.windowOptions(), attempt), api);
      metrics.uriIssued();
      if (!showsWhereItWaits) {
        publishToVisibility();
      }
    } catch (ActivityFailure failure) {
      failOnMx(failure);
    }
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

  // --- state, notifications, visibility ---

  private void fail(ConnectionEvent event, FailureReason reason, String detail) {
    failureReason = reason;
    failureDetail = detail;
    fire(event);
    notifyBackend(state() == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
  }

  private void fire(ConnectionEvent event) {
    ConnectionState from = state();
    ConnectionState to = lifecycle.fire(event);
    metrics.transition(from, to);
    transitions.add(
        new Transition(from, to, event, Instant.ofEpochMilli(Workflow.currentTimeMillis())));
    if (!showsWhereItWaits) {
      publishToVisibility();
    }
  }

  /** Before the connection waits (for the user, MX, or its end): visibility shows it as it is. */
  private void showWhereItWaits() {
    if (showsWhereItWaits) {
      publishToVisibility();
    }
  }

  /** Keeps the search attributes that list and count connections in step with the state. */
  private void publishToVisibility() {
    if (!keepsSearchAttributes) {
      return;
    }
    var now =
        new ConnectionSearchAttributes.Shown(
            state(), attempt, lastErrorReason, hearsMx ? memberGuid : null);
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
            lastErrorReason,
            aggregationMxStatus);
    deliveries.notify(notification);
  }

  private void raiseAlert(ErrorReason reason) {
    OperatorAlert alert =
        new OperatorAlert(
            request.connectionId(),
            request.institutionCode(),
            reason,
            memberGuid,
            Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    deliveries.alert(alert);
  }

  private ConnectionState state() {
    return lifecycle.state();
  }

  // --- requests from update handlers ---

  /** The next request to act on: a cancel first, whatever it arrived with, else the oldest. */
  private Request next() {
    Request next =
        pending.stream().filter(r -> r.kind() == Kind.CANCEL).findFirst().orElse(pending.get(0));
    pending.remove(next);
    return next;
  }

  /**
   * Requests that arrived as the connection ended hear that they came too late, or, for the
   * outcome it ended with, the ended connection.
   */
  private void answerWhatIsLeft() {
    while (!pending.isEmpty()) {
      act(next());
    }
  }

  private ConnectionView ask(Kind kind, OAuthMessage message) {
    if (state().isTerminal()) {
      if (message != null && message.redirectAttempt() != null) {
        usedRedirects.add(message.redirectAttempt());
      }
      // Only a message for the outcome it ended with gets here: the ended connection answers it.
      return view();
    }
    Request request = new Request(kind, message, Workflow.newPromise());
    pending.add(request);
    request.done().get();
    return view();
  }

  private boolean isQueued(Kind... kinds) {
    return pending.stream().anyMatch(r -> List.of(kinds).contains(r.kind()));
  }

  /**
   * Whether the connection already is where this message would take it: MX's webhook can tell an
   * outcome before the browser relays it, and the browser then hears the connection as it is.
   */
  private boolean alreadyReached(OAuthMessage message) {
    // A redirect counts only for its own window (its first use: see the validator).
    if ((message.redirectAttempt() != null && message.redirectAttempt() != attempt)
        || memberGuid == null
        || !memberGuid.equals(message.memberGuid())) {
      return false;
    }
    if (message.succeeded()) {
      return state() == CONFIRMING || state() == CONNECTED;
    }
    return message.errorReason() == lastErrorReason
        && ((state() == LOGIN_FAILED && lastErrorReason == ErrorReason.DENIED)
            || (state() == ACTION_REQUIRED && lastErrorReason == ErrorReason.IMPEDED));
  }

  /** Whether an open window can take this message now. */
  private boolean windowTakes(OAuthMessage message) {
    return oauthWindowUri != null && lifecycle.accepts(policy.actionFor(message).event());
  }

  /** Whether a validated request can still apply, now that the main loop gets to it. */
  private boolean stillApplies(Request request) {
    return switch (request.kind()) {
      case MESSAGE -> windowTakes(request.message());
      case RETRY, RESUME, CANCEL -> lifecycle.accepts(request.kind().event);
    };
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
        List.copyOf(transitions),
        aggregation,
        aggregationMxStatus);
  }

  @Override
  public void mxMemberChanged(MxMemberNews news) {
    if (hearsMx && news.memberGuid() != null && news.memberGuid().equals(memberGuid)) {
      mxNews = true;
    }
  }

  @Override
  public ConnectionView awaitFirstWindow() {
    Workflow.await(() -> oauthWindowUri != null || (state() != STARTING && state() != AWAITING_OAUTH));
    return view();
  }

  @Override
  public void validateStart(ConnectionRequest start) {
    differs("user_id", request.userId(), start.userId());
    differs("institution_code", request.institutionCode(), start.institutionCode());
    differs("mx_api", api.wireName(), MxApi.orPlatform(start.mxApi()).wireName());
  }

  private void differs(String field, String running, String asked) {
    if (!running.equals(asked)) {
      throw Rejections.conflict(
          field + " differs: connection " + request.connectionId() + " is running with " + field + " "
              + running + ", not " + asked);
    }
  }

  @Override
  public StartAnswer start(ConnectionRequest start) {
    return new StartAnswer(
        awaitFirstWindow(), start.startId() != null && start.startId().equals(request.startId()));
  }

  @Override
  public void validateOAuthMessage(OAuthMessage message) {
    if (message.redirectAttempt() != null && usedRedirects.contains(message.redirectAttempt())) {
      throw Rejections.conflict("this redirect was used already: the connection is " + state());
    }
    if (alreadyReached(message)) {
      return;
    }
    rejectIfEnded();
    if (memberGuid == null || !memberGuid.equals(message.memberGuid())) {
      // The connection's own guid is not named: the refusal must not teach a forger the answer.
      throw Rejections.invalid(
          "member_guid " + message.memberGuid() + " does not belong to this connection");
    }
    if (!windowTakes(message)) {
      throw Rejections.conflict("no OAuth window is open: the connection is " + state());
    }
    if (message.redirectAttempt() != null && message.redirectAttempt() != attempt) {
      throw Rejections.conflict(
          "this redirect was for window " + message.redirectAttempt() + ", which is over: the connection is "
              + state() + " on window " + attempt);
    }
    if (isQueued(Kind.MESSAGE)) {
      throw Rejections.conflict("a message for this OAuth window is already being handled");
    }
  }

  @Override
  public ConnectionView relayOAuthMessage(OAuthMessage message) {
    return ask(Kind.MESSAGE, message);
  }

  @Override
  public void validateRetry() {
    validateUserAction(Kind.RETRY, "retry applies after DENIED or a provider error");
  }

  @Override
  public ConnectionView retry() {
    return ask(Kind.RETRY, null);
  }

  @Override
  public void validateResume() {
    validateUserAction(Kind.RESUME, "resume applies after IMPEDED");
  }

  @Override
  public ConnectionView resume() {
    return ask(Kind.RESUME, null);
  }

  @Override
  public void validateCancel() {
    rejectIfEnded();
  }

  @Override
  public ConnectionView cancel() {
    return ask(Kind.CANCEL, null);
  }

  private void validateUserAction(Kind kind, String rule) {
    rejectIfEnded();
    if (!lifecycle.accepts(kind.event)) {
      throw Rejections.conflict(rule + "; the connection is " + state());
    }
    if (isQueued(Kind.RETRY, Kind.RESUME)) {
      throw Rejections.conflict("a retry or resume is already under way");
    }
  }

  private void rejectIfEnded() {
    if (state().isTerminal()) {
      throw Rejections.conflict("the connection has ended: it is " + state());
    }
  }
}
