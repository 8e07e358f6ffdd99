package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import java.time.Duration;
import java.time.Instant;

/**
 * One connection's rules, in plain Java: its state, lifecycle and transition log, whether a request
 * applies ({@link RequestRules}), and its reaction to every input as a {@link Reaction} its shell
 * carries out. Inputs are MX's answers, clients' requests, MX's news and the end of a wait. What an
 * OAuth outcome does is one row of {@link OutcomeAction}; which states follow which is {@link
 * ConnectionLifecycle}. It never waits or calls out, and reads time only from its {@link
 * ConnectionEnvironment}.
 */
public final class Connection {

  private final ConnectionData data;
  private final OutcomePolicy policy;
  private final ConnectionEnvironment env;
  private final ConnectionMetrics metrics;
  private final Instant startedAt;
  private final RequestRules rules;
  private final Waiting waiting = new Waiting();
  private final Outbox outbox;

  public Connection(
      ConnectionRequest request, ConnectionEnvironment env, ConnectionMetrics metrics) {
    this.data = new ConnectionData(request);
    this.policy = request.policy();
    this.rules = new RequestRules(data);
    this.outbox = new Outbox(data, env);
    this.env = env;
    this.metrics = metrics;
    this.startedAt = env.now();
  }

  // --- inputs: MX's answers and news, and time ---

  public Reaction begin() {
    metrics.started();
    outbox.ensureUser();
    return reaction();
  }

  public Reaction userEnsured(MxUser user) {
    data.userGuid = user.guid();
    outbox.createMember();
    return reaction();
  }

  /** The member exists: its first window follows at once, unless a cancel came first. */
  public Reaction memberCreated(MxMember member) {
    data.memberGuid = member.guid();
    waiting.set(Wait.FIRST_WINDOW);
    return reaction();
  }

  public Reaction windowIssued(String uri) {
    data.oauthWindowUri = uri;
    metrics.uriIssued();
    return reaction();
  }

  /** MX refused a call for good, or stayed unavailable past the call's retries. */
  public Reaction mxFailed(FailureReason reason, String detail) {
    fail(ConnectionEvent.MX_FAILED, reason, detail);
    return reaction();
  }

  /** MX's view of the member (null: MX could not be read), read for what it awaits. */
  public Reaction memberRead(MemberStatus status) {
    switch (waiting.what()) {
      case OAUTH -> learnFromMx(status);
      case MX_VERDICT -> decideEndedWindow(status);
      case CONFIRMATION -> {
        if (status != null && status.reportsConnected()) {
          confirmed();
        } else {
          readAgainOrEnd();
        }
      }
      case AGGREGATION -> {
        AggregationState end = data.aggregation.endedBy(status);
        if (end != null) {
          aggregationEnded(end);
        } else {
          readAgainOrEnd();
        }
      }
      default -> {}
    }
    return reaction();
  }

  /** Whether news of this member is news of this connection. */
  public boolean isAbout(String newsMemberGuid) {
    return data.isOwnMember(newsMemberGuid);
  }

  /** MX's news of the member: read what MX reports now, unless the user is what it awaits. */
  public Reaction mxReported() {
    Wait what = waiting.what();
    if (what == Wait.OAUTH || what == Wait.CONFIRMATION || what == Wait.AGGREGATION) {
      outbox.readMember(false);
    }
    return reaction();
  }

  /** The time the last reaction waited until has come with nothing else happening. */
  public Reaction timeIsUp() {
    switch (waiting.what()) {
      case FIRST_WINDOW -> {
        fire(ConnectionEvent.MEMBER_READY);
        freshWindow();
      }
      case CONFIRMATION, AGGREGATION -> outbox.readMember(false);
      case OAUTH, RESUME, RETRY -> windowOver();
      default -> {}
    }
    return reaction();
  }

  // --- inputs: clients' requests ---

  /** Whether a request applies now, and whether a start is the one that began the connection. */
  public RequestRules rules() {
    return rules;
  }

  /** Acts on a request at its turn; throws a {@link Refusal} if it moved on since. */
  public Reaction handle(ClientRequest request) {
    boolean applies;
    try {
      applies = rules.stillApplies(request);
    } finally {
      rules.taken(request);
    }
    if (applies) {
      switch (request.kind()) {
        case MESSAGE -> react(request.message());
        case RETRY, RESUME -> {
          fire(request.kind().event);
          freshWindow();
        }
        case CANCEL -> {
          data.oauthWindowUri = null;
          fire(ConnectionEvent.CANCEL);
          outbox.notify(NotificationType.CANCELLED);
        }
      }
    }
    return reaction();
  }

  // --- what it is ---

  public ConnectionState state() {
    return data.state();
  }

  /** Whether nothing more will happen: the connection ended and follows nothing after. */
  public boolean hasEnded() {
    return state().isTerminal() && waiting.what() == Wait.NOTHING;
  }

  /** Whether the first window is out, or the connection will never have one. */
  public boolean hasFirstWindowOrMovedOn() {
    return data.oauthWindowUri != null || (state() != STARTING && state() != AWAITING_OAUTH);
  }

  /** Until when it waits before {@link #timeIsUp}; between reactions, null once it has ended. */
  public Instant until() {
    return waiting.until(env.now());
  }

  public ConnectionView view() {
    return data.view();
  }

  // --- the branch table, acted on ---

  /** An OAuth-complete message: its row of the branch table. */
  private void react(OAuthMessage message) {
    data.oauthWindowUri = null;
    OutcomeAction action = policy.actionFor(message);
    if (!message.succeeded()) {
      data.lastErrorReason = message.errorReason();
    }
    metrics.oauthResult(message.succeeded() ? "success" : data.lastErrorReason.name());
    if (action.alertsOperators()) {
      outbox.alertOperators();
    }
    if (action.then().needsAnotherWindow() && data.attempt >= policy.maxAttempts()) {
      outOfAttempts(data.lastErrorReason.name());
      return;
    }
    fire(action.event());
    if (action.webhook() != null) {
      outbox.notify(action.webhook());
    }
    if (action.fetchesFreshUri()) {
      freshWindow();
      return;
    }
    waitFor(action.then(), action.windowEnd());
    if (action.then() == Wait.CONFIRMATION) {
      // MX usually agrees already: the relay then answers CONNECTED.
      outbox.readMember(false);
    }
  }

  /** While the browser's message is awaited, MX's news stands in for it, in case it was lost. */
  private void learnFromMx(MemberStatus status) {
    String mxStatus = status == null ? null : status.connectionStatus();
    if (status != null && status.reportsConnected()) {
      confirmed();
    } else if ("DENIED".equals(mxStatus) || "IMPEDED".equals(mxStatus)) {
      react(OAuthMessage.error(data.memberGuid, ErrorReason.valueOf(mxStatus)));
    }
  }

  /** The failsafe when no message came: the browser may have lost it after a successful OAuth. */
  private void decideEndedWindow(MemberStatus status) {
    if (status != null && status.reportsConnected()) {
      connect(ConnectionEvent.TIMED_OUT_BUT_CONNECTED);
      return;
    }
    String mxStatus = status == null ? "no status" : status.connectionStatus();
    fail(
        ConnectionEvent.TIMED_OUT,
        FailureReason.OAUTH_TIMED_OUT,
        "no OAuth-complete message within " + policy.oauthTimeout() + "; MX reports " + mxStatus);
  }

  /** MX reports the member connected: the truth a relayed success only hinted at. */
  private void confirmed() {
    metrics.confirmation("confirmed");
    connect(ConnectionEvent.MX_CONFIRMED);
  }

  private void connect(ConnectionEvent event) {
    data.oauthWindowUri = null;
    fire(event);
    outbox.notify(NotificationType.CONNECTED);
    // The sign-in worked: the connection stays CONNECTED whatever the aggregation does.
    if (Boolean.TRUE.equals(data.request.windowOptions().skipAggregation())) {
      data.aggregation.skip();
      return;
    }
    data.aggregation.start();
    waitFor(Wait.AGGREGATION, WindowEnd.AGGREGATION_FAILS);
    readAgainOrEnd();
  }

  private void aggregationEnded(AggregationState outcome) {
    data.aggregation.end(outcome);
    waiting.set(Wait.NOTHING);
    boolean ready = outcome == AggregationState.DATA_READY;
    metrics.aggregation(ready ? "data_ready" : "failed");
    outbox.notify(ready ? NotificationType.DATA_READY : NotificationType.AGGREGATION_FAILED);
  }

  /** The current wait's window is over with nothing from the user: its {@link WindowEnd}. */
  private void windowOver() {
    switch (waiting.end()) {
      case ASK_MX -> {
        metrics.oauthResult("timeout");
        data.oauthWindowUri = null;
        waiting.set(Wait.MX_VERDICT);
        outbox.readMember(true);
      }
      case ANOTHER_WINDOW -> {
        metrics.confirmation("not_confirmed");
        String detail = "MX did not report the member connected within " + policy.confirmWindow();
        if (data.attempt >= policy.maxAttempts()) {
          outOfAttempts(detail);
        } else {
          fire(ConnectionEvent.NOT_CONFIRMED);
          freshWindow();
        }
      }
      case EXPIRES, FAILS -> {
        Wait what = waiting.what();
        String awaited = what == Wait.RESUME ? "resume" : "retry";
        fail(
            ConnectionEvent.WINDOW_ENDED,
            FailureReason.WINDOW_ENDED,
            "no " + awaited + " within " + policy.window(what));
      }
      case AGGREGATION_FAILS -> aggregationEnded(AggregationState.FAILED);
    }
  }

  private void waitFor(Wait wait, WindowEnd end) {
    waiting.start(wait, end, env.now().plus(policy.window(wait)));
  }

  /** MX is read with growing pauses until its answer settles the wait or the window is over. */
  private void readAgainOrEnd() {
    if (!waiting.readAgain(env.now())) {
      windowOver();
    }
  }

  private void freshWindow() {
    data.attempt++;
    data.oauthWindowUri = null;
    waitFor(Wait.OAUTH, WindowEnd.ASK_MX);
    outbox.fetchWindow();
  }

  private void outOfAttempts(String why) {
    fail(
        ConnectionEvent.ATTEMPTS_EXHAUSTED,
        FailureReason.ATTEMPTS_EXHAUSTED,
        why + " on attempt " + data.attempt + " of " + policy.maxAttempts());
  }

  private void fail(ConnectionEvent event, FailureReason reason, String detail) {
    data.failureReason = reason;
    data.failureDetail = detail;
    fire(event);
    outbox.notify(state() == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
  }

  private void fire(ConnectionEvent event) {
    ConnectionState from = state();
    ConnectionState to = data.lifecycle.fire(event);
    metrics.transition(from, to);
    data.transitions.add(new Transition(from, to, event, env.now()));
    if (to.isTerminal()) {
      waiting.set(Wait.NOTHING);
      metrics.finished(to, Duration.between(startedAt, env.now()).toMillis());
    }
  }

  /** The effects gathered since the last reaction, and the wait that follows them. */
  private Reaction reaction() {
    return new Reaction(outbox.drain(), waiting.what(), until());
  }
}
