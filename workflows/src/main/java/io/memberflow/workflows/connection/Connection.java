package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.connection.ClientRequest.Kind;
import io.memberflow.workflows.connection.Effect.Alert;
import io.memberflow.workflows.connection.Effect.CreateMember;
import io.memberflow.workflows.connection.Effect.EnsureUser;
import io.memberflow.workflows.connection.Effect.FetchWindow;
import io.memberflow.workflows.connection.Effect.Notify;
import io.memberflow.workflows.connection.Effect.ReadMember;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One connection's rules, in plain Java: its state, lifecycle and transition log, whether a
 * request applies, and its reaction to every input as a {@link Reaction} its shell carries out.
 * Inputs are MX's answers, clients' requests, MX's news and the end of a wait; what an OAuth
 * outcome does is one row of {@link OutcomeAction}; which states follow which is {@link
 * ConnectionLifecycle}. It never waits, calls out or reads a clock but {@link Environment}'s.
 */
public final class Connection {

  /** The first pause between confirmation reads; it doubles up to {@link #MAX_READ_PAUSE}. */
  static final Duration FIRST_READ_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_READ_PAUSE = Duration.ofSeconds(15);
  /** The first pause between reads that follow the aggregation; it doubles up to a minute. */
  static final Duration FIRST_AGGREGATION_PAUSE = Duration.ofSeconds(2);
  static final Duration MAX_AGGREGATION_PAUSE = Duration.ofMinutes(1);

  /** The time and the unique ids a connection uses; a workflow's are replayed as they were. */
  public interface Environment {
    Instant now();

    String newId();
  }

  private final ConnectionRequest request;
  private final OutcomePolicy policy;
  private final MxApi api;
  private final Environment env;
  private final ConnectionMetrics metrics;
  private final Instant startedAt;
  private final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  private final List<Transition> transitions = new ArrayList<>();
  /** The windows whose signed APP redirect has been used: each works once. */
  private final Set<Integer> usedRedirects = new HashSet<>();
  private final List<Effect> effects = new ArrayList<>();

  private String userGuid;
  private String memberGuid;
  private String oauthWindowUri;
  private int attempt;
  private ErrorReason lastErrorReason;
  private FailureReason failureReason;
  private String failureDetail;
  private AggregationState aggregation;
  private String aggregationMxStatus;
  /** MX's last answer while following the aggregation. */
  private MemberStatus lastRead;

  private Wait waiting = Wait.NOTHING;
  private WindowEnd windowEnd;
  private Instant windowEnds;
  /** While confirming or following the aggregation: when MX is read next, and the pause after. */
  private Instant nextRead;
  private Duration pause;

  public Connection(ConnectionRequest request, Environment env, ConnectionMetrics metrics) {
    this.request = request;
    this.policy = request.policy();
    this.api = MxApi.orPlatform(request.mxApi());
    this.env = env;
    this.metrics = metrics;
    this.startedAt = env.now();
  }

  // --- inputs: MX's answers ---

  public Reaction begin() {
    metrics.started();
    effects.add(new EnsureUser(request.userId()));
    return reaction();
  }

  public Reaction userEnsured(MxUser user) {
    userGuid = user.guid();
    NewOAuthMember member =
        new NewOAuthMember(userGuid, request.memberId(), request.institutionCode(), request.windowOptions());
    effects.add(new CreateMember(member));
    return reaction();
  }

  /** The member exists: its first window follows at once, unless a request (a cancel) came first. */
  public Reaction memberCreated(MxMember member) {
    memberGuid = member.guid();
    waitFor(Wait.FIRST_WINDOW, null);
    return reaction();
  }

  public Reaction windowIssued(String uri) {
    oauthWindowUri = uri;
    metrics.uriIssued();
    return reaction();
  }

  /** MX refused a call for good, or stayed unavailable past the call's retries. */
  public Reaction mxFailed(FailureReason reason, String detail) {
    fail(ConnectionEvent.MX_FAILED, reason, detail);
    return reaction();
  }

  /** MX's view of the member, or null when MX could not be read. */
  public Reaction memberRead(MemberStatus status) {
    switch (waiting) {
      case OAUTH -> learnFromMx(status);
      case MX_VERDICT -> decideEndedWindow(status);
      case CONFIRMATION -> {
        if (status != null && status.reportsConnected()) {
          metrics.confirmation("confirmed");
          connect(ConnectionEvent.MX_CONFIRMED);
        } else {
          readAgainOrEnd();
        }
      }
      case AGGREGATION -> followAggregation(status);
      default -> {}
    }
    return reaction();
  }

  // --- inputs: MX's news and time ---

  /** Whether news of this member is news of this connection. */
  public boolean isAbout(String newsMemberGuid) {
    return memberGuid != null && memberGuid.equals(newsMemberGuid);
  }

  /**
   * MX said something of the member: while the connection waits for the browser, for MX's
   * confirmation or for the aggregation, what MX reports now is read; while it waits for the user,
   * MX has nothing to add.
   */
  public Reaction mxReported() {
    if (waiting == Wait.OAUTH || waiting == Wait.CONFIRMATION || waiting == Wait.AGGREGATION) {
      read(false);
    }
    return reaction();
  }

  /** The time the last reaction waited until has come with nothing else happening. */
  public Reaction timeIsUp() {
    switch (waiting) {
      case FIRST_WINDOW -> {
        fire(ConnectionEvent.MEMBER_READY);
        freshWindow();
      }
      case CONFIRMATION, AGGREGATION -> read(false);
      case OAUTH, RESUME, RETRY -> windowOver();
      default -> {}
    }
    return reaction();
  }

  // --- inputs: clients' requests ---

  /**
   * Whether {@code request} applies now, with {@code queued} ahead of it: {@code true}, or {@code
   * false} when the connection already is where it would take it (MX's webhook told the outcome
   * first: the caller hears the connection as it is).
   *
   * @throws Refusal why it does not apply
   */
  public boolean applies(ClientRequest request, Collection<ClientRequest> queued) {
    OAuthMessage message = request.message();
    switch (request.kind()) {
      case MESSAGE -> {
        if (message.redirectAttempt() != null && usedRedirects.contains(message.redirectAttempt())) {
          throw Refusal.conflict("this redirect was used already: the connection is " + state());
        }
        if (alreadyReached(message)) {
          return false;
        }
        refuseIfEnded();
        if (memberGuid == null || !memberGuid.equals(message.memberGuid())) {
          // The connection's own guid is not named: the refusal must not teach a forger the answer.
          throw Refusal.invalid("member_guid " + message.memberGuid() + " does not belong to this connection");
        }
        if (oauthWindowUri == null || !lifecycle.accepts(policy.actionFor(message).event())) {
          throw Refusal.conflict("no OAuth window is open: the connection is " + state());
        }
        if (message.redirectAttempt() != null && message.redirectAttempt() != attempt) {
          throw Refusal.conflict("this redirect was for window " + message.redirectAttempt()
              + ", which is over: the connection is " + state() + " on window " + attempt);
        }
        if (queued.stream().anyMatch(q -> q.kind() == Kind.MESSAGE)) {
          throw Refusal.conflict("a message for this OAuth window is already being handled");
        }
      }
      case RETRY, RESUME -> {
        refuseIfEnded();
        if (!lifecycle.accepts(request.kind().event)) {
          String rule = request.kind() == Kind.RETRY
              ? "retry applies after DENIED or a provider error"
              : "resume applies after IMPEDED";
          throw Refusal.conflict(rule + "; the connection is " + state());
        }
        if (queued.stream().anyMatch(q -> q.kind() == Kind.RETRY || q.kind() == Kind.RESUME)) {
          throw Refusal.conflict("a retry or resume is already under way");
        }
      }
      case CANCEL -> refuseIfEnded();
    }
    return true;
  }

  /**
   * Acts on a request the validator let through, decided again now that it is its turn: of two
   * that cannot both apply (a cancel and a success, say), the second hears what the first did.
   *
   * @throws Refusal when the connection moved on since
   */
  public Reaction handle(ClientRequest request, Collection<ClientRequest> queued) {
    boolean applies;
    try {
      applies = applies(request, queued);
    } catch (Refusal refusal) {
      throw Refusal.conflict("the connection moved on before this could apply: it is " + state());
    } finally {
      if (request.kind() == Kind.MESSAGE && request.message().redirectAttempt() != null) {
        usedRedirects.add(request.message().redirectAttempt());
      }
    }
    if (applies) {
      switch (request.kind()) {
        case MESSAGE -> react(request.message());
        case RETRY, RESUME -> {
          fire(request.kind().event);
          freshWindow();
        }
        case CANCEL -> {
          oauthWindowUri = null;
          fire(ConnectionEvent.CANCEL);
          notify(NotificationType.CANCELLED);
        }
      }
    }
    return reaction();
  }

  /** A start that names another user, institution or MX API than this connection is refused. */
  public void checkStart(ConnectionRequest start) {
    differs("user_id", request.userId(), start.userId());
    differs("institution_code", request.institutionCode(), start.institutionCode());
    differs("mx_api", api.wireName(), MxApi.orPlatform(start.mxApi()).wireName());
  }

  /** Whether {@code start} is the request that began this connection. */
  public boolean wasStartedBy(ConnectionRequest start) {
    return start.startId() != null && start.startId().equals(request.startId());
  }

  // --- what it is ---

  public ConnectionState state() {
    return lifecycle.state();
  }

  /** Whether nothing more will happen: the connection ended and follows nothing after. */
  public boolean hasEnded() {
    return state().isTerminal() && waiting == Wait.NOTHING;
  }

  /** Whether the first window is out, or the connection will never have one. */
  public boolean hasFirstWindowOrMovedOn() {
    return oauthWindowUri != null || (state() != STARTING && state() != AWAITING_OAUTH);
  }

  public Wait waiting() {
    return waiting;
  }

  /**
   * Until when the connection waits before {@link #timeIsUp}; between reactions, null only once it
   * has ended.
   */
  public Instant until() {
    return switch (waiting) {
      case NOTHING, MX_VERDICT -> null;
      case FIRST_WINDOW -> env.now();
      default -> nextRead != null && nextRead.isBefore(windowEnds) ? nextRead : windowEnds;
    };
  }

  public int attempt() {
    return attempt;
  }

  public String memberGuid() {
    return memberGuid;
  }

  public ErrorReason lastErrorReason() {
    return lastErrorReason;
  }

  public ConnectionView view() {
    return new ConnectionView(request.connectionId(), request.userId(), request.memberId(),
        request.institutionCode(), api, request.windowOptions(), state(), userGuid, memberGuid, attempt,
        policy.maxAttempts(), state() == AWAITING_OAUTH ? oauthWindowUri : null, lastErrorReason,
        failureReason, failureDetail, List.copyOf(transitions), aggregation, aggregationMxStatus);
  }

  // --- the branch table, acted on ---

  /** An OAuth-complete message: its row of the branch table. */
  private void react(OAuthMessage message) {
    oauthWindowUri = null;
    OutcomeAction action = policy.actionFor(message);
    if (message.succeeded()) {
      metrics.oauthResult("success");
    } else {
      lastErrorReason = message.errorReason();
      metrics.oauthResult(lastErrorReason.name());
    }
    if (action.alertsOperators()) {
      effects.add(new Alert(new OperatorAlert(
          request.connectionId(), request.institutionCode(), lastErrorReason, memberGuid, env.now())));
    }
    if (action.then().needsAnotherWindow() && attempt >= policy.maxAttempts()) {
      fail(ConnectionEvent.ATTEMPTS_EXHAUSTED, FailureReason.ATTEMPTS_EXHAUSTED,
          lastErrorReason + " on attempt " + attempt + " of " + policy.maxAttempts());
      return;
    }
    fire(action.event());
    if (action.webhook() != null) {
      notify(action.webhook());
    }
    if (action.fetchesFreshUri()) {
      freshWindow();
      return;
    }
    waitFor(action.then(), action.windowEnd());
    if (action.then() == Wait.CONFIRMATION) {
      // MX usually agrees already: the relay then answers CONNECTED.
      pause = FIRST_READ_PAUSE;
      read(false);
    }
  }

  /**
   * While the connection waits for the browser, MX's news of the member is that message, in case
   * the browser's was lost.
   */
  private void learnFromMx(MemberStatus status) {
    if (status == null) {
      return;
    }
    if (status.reportsConnected()) {
      metrics.confirmation("confirmed");
      connect(ConnectionEvent.MX_CONFIRMED);
    } else if ("DENIED".equals(status.connectionStatus()) || "IMPEDED".equals(status.connectionStatus())) {
      react(OAuthMessage.error(memberGuid, ErrorReason.valueOf(status.connectionStatus())));
    }
  }

  /** The failsafe when no message came: the browser may have lost it after a successful OAuth. */
  private void decideEndedWindow(MemberStatus status) {
    if (status != null && status.reportsConnected()) {
      connect(ConnectionEvent.TIMED_OUT_BUT_CONNECTED);
    } else {
      fail(ConnectionEvent.TIMED_OUT, FailureReason.OAUTH_TIMED_OUT, "no OAuth-complete message within "
          + policy.oauthTimeout() + "; MX reports " + (status == null ? "no status" : status.connectionStatus()));
    }
  }

  /**
   * After CONNECTED, MX fetches the member's data; integrators need it before they read accounts.
   * The connection stays CONNECTED either way: the sign-in worked.
   */
  private void followAggregation(MemberStatus status) {
    lastRead = status == null ? lastRead : status;
    if (status != null && !Boolean.TRUE.equals(status.beingAggregated())) {
      if (!status.reportsConnected()) {
        aggregationEnded(AggregationState.FAILED, status.connectionStatus());
        return;
      }
      if (status.successfullyAggregatedAt() != null) {
        aggregationEnded(AggregationState.DATA_READY, null);
        return;
      }
    }
    readAgainOrEnd();
  }

  private void connect(ConnectionEvent event) {
    oauthWindowUri = null;
    fire(event);
    notify(NotificationType.CONNECTED);
    if (Boolean.TRUE.equals(request.windowOptions().skipAggregation())) {
      aggregation = AggregationState.SKIPPED;
      return;
    }
    aggregation = AggregationState.AGGREGATING;
    waitFor(Wait.AGGREGATION, WindowEnd.AGGREGATION_FAILS);
    pause = FIRST_AGGREGATION_PAUSE;
    readAgainOrEnd();
  }

  private void aggregationEnded(AggregationState outcome, String mxStatus) {
    aggregation = outcome;
    aggregationMxStatus = mxStatus;
    waiting = Wait.NOTHING;
    boolean ready = outcome == AggregationState.DATA_READY;
    metrics.aggregation(ready ? "data_ready" : "failed");
    notify(ready ? NotificationType.DATA_READY : NotificationType.AGGREGATION_FAILED);
  }

  /** What the end of the current wait's window leads to: its row's {@link WindowEnd}. */
  private void windowOver() {
    switch (windowEnd) {
      case ASK_MX -> {
        metrics.oauthResult("timeout");
        oauthWindowUri = null;
        waiting = Wait.MX_VERDICT;
        read(true);
      }
      case ANOTHER_WINDOW -> {
        metrics.confirmation("not_confirmed");
        String detail = "MX did not report the member connected within " + policy.confirmWindow();
        if (attempt >= policy.maxAttempts()) {
          fail(ConnectionEvent.ATTEMPTS_EXHAUSTED, FailureReason.ATTEMPTS_EXHAUSTED,
              detail + " on attempt " + attempt + " of " + policy.maxAttempts());
        } else {
          fire(ConnectionEvent.NOT_CONFIRMED);
          freshWindow();
        }
      }
      case EXPIRES, FAILS -> fail(ConnectionEvent.WINDOW_ENDED, FailureReason.WINDOW_ENDED,
          "no " + (waiting == Wait.RESUME ? "resume" : "retry") + " within " + policy.window(waiting));
      case AGGREGATION_FAILS ->
          aggregationEnded(AggregationState.FAILED, lastRead == null ? null : lastRead.connectionStatus());
    }
  }

  // --- waiting, MX, state ---

  private void waitFor(Wait wait, WindowEnd end) {
    waiting = wait;
    windowEnd = end;
    windowEnds = env.now().plus(policy.window(wait));
    nextRead = null;
  }

  /** MX is read with growing pauses until its answer settles the wait or the window is over. */
  private void readAgainOrEnd() {
    if (!env.now().isBefore(windowEnds)) {
      windowOver();
      return;
    }
    nextRead = env.now().plus(pause);
    Duration max = waiting == Wait.AGGREGATION ? MAX_AGGREGATION_PAUSE : MAX_READ_PAUSE;
    pause = pause.multipliedBy(2).compareTo(max) < 0 ? pause.multipliedBy(2) : max;
  }

  private void read(boolean patient) {
    effects.add(new ReadMember(userGuid, memberGuid, patient));
  }

  private void freshWindow() {
    attempt++;
    oauthWindowUri = null;
    waitFor(Wait.OAUTH, WindowEnd.ASK_MX);
    effects.add(new FetchWindow(new OAuthWindowRequest(userGuid, memberGuid, request.windowOptions(), attempt)));
  }

  private void fail(ConnectionEvent event, FailureReason reason, String detail) {
    failureReason = reason;
    failureDetail = detail;
    fire(event);
    notify(state() == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
  }

  private void fire(ConnectionEvent event) {
    ConnectionState from = state();
    ConnectionState to = lifecycle.fire(event);
    metrics.transition(from, to);
    transitions.add(new Transition(from, to, event, env.now()));
    if (to.isTerminal()) {
      waiting = Wait.NOTHING;
      metrics.finished(to, Duration.between(startedAt, env.now()).toMillis());
    }
  }

  private void notify(NotificationType type) {
    effects.add(new Notify(new ConnectionNotification("msg_" + env.newId(), type, env.now(),
        request.connectionId(), request.userId(), request.memberId(), memberGuid,
        request.institutionCode(), state(), attempt, lastErrorReason, aggregationMxStatus)));
  }

  /**
   * Whether the connection already is where this message would take it: MX's webhook can tell an
   * outcome before the browser relays it, and the browser then hears the connection as it is.
   */
  private boolean alreadyReached(OAuthMessage message) {
    // A redirect counts only for its own window (its first use: see applies).
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

  private void refuseIfEnded() {
    if (state().isTerminal()) {
      throw Refusal.conflict("the connection has ended: it is " + state());
    }
  }

  private void differs(String field, String running, String asked) {
    if (!running.equals(asked)) {
      throw Refusal.conflict(field + " differs: connection " + request.connectionId() + " is running with "
          + field + " " + running + ", not " + asked);
    }
  }

  /** The effects gathered since the last reaction, and the wait that follows them. */
  private Reaction reaction() {
    Reaction reaction = new Reaction(effects, waiting, until());
    effects.clear();
    return reaction;
  }
}
