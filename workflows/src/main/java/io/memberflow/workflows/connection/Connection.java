package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.OpenedMember;
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
  private final RequestRules rules;
  private final Waiting waiting = new Waiting();
  private final Outbox outbox;
  private final Moves moves;
  private final ConnectedLife life;

  /** Whether it opens its member in one MX call that brings the first window (release 3 on). */
  private boolean opensInOneCall;

  public Connection(
      ConnectionRequest request, ConnectionEnvironment env, ConnectionMetrics metrics) {
    this(request, null, env, metrics);
  }

  /**
   * A connection, new or (with {@code carried}) as an earlier run of its workflow left it; a
   * carried connection lives on.
   */
  public Connection(
      ConnectionRequest request,
      Continuation carried,
      ConnectionEnvironment env,
      ConnectionMetrics metrics) {
    this.data =
        carried == null ? new ConnectionData(request) : new ConnectionData(request, carried);
    this.policy = request.policy();
    this.rules = new RequestRules(data, env);
    this.outbox = new Outbox(data, env);
    this.env = env;
    this.metrics = metrics;
    this.moves = new Moves(data, waiting, env, metrics);
    this.life = new ConnectedLife(data, waiting, outbox, moves, env, metrics);
  }

  // --- inputs: MX's answers and news, and time ---

  /** From now on the connection stays after connecting, for its member's whole life. */
  public void liveOn() {
    data.life.livesOn = true;
  }

  /**
   * From now on the connection opens its member, user included, in one call to MX, which brings the
   * first window where MX gives one; before, user, member and window were three calls.
   */
  public void opensInOneCall() {
    opensInOneCall = true;
  }

  public Reaction begin() {
    metrics.started();
    if (opensInOneCall) {
      outbox.openMember();
    } else {
      outbox.ensureUser();
    }
    return reaction();
  }

  /**
   * MX opened the member: with the first window MX gave with it, the user can sign in at once;
   * without one, the first window is asked for as in {@link #memberCreated}.
   */
  public Reaction memberOpened(OpenedMember opened) {
    data.userGuid = opened.member().userGuid();
    if (opened.firstWindowUri() == null) {
      return memberCreated(opened.member());
    }
    data.memberGuid = opened.member().guid();
    moves.fire(ConnectionEvent.MEMBER_READY);
    newAttempt();
    return windowIssued(opened.firstWindowUri());
  }

  /** A run that goes on where the last one left the connection: waiting for its next read. */
  public Reaction carriedOn() {
    life.carriedOn();
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
    if (status != null) {
      data.life.mxStatus = status.connectionStatus();
    }
    switch (waiting.what()) {
      case OAUTH -> learnFromMx(status);
      case MX_VERDICT -> decideEndedWindow(status);
      case CONFIRMATION -> {
        if (status != null && status.reportsConnected()) {
          data.followCandidate();
          confirmed();
        } else {
          readAgainOrEnd();
        }
      }
      case AGGREGATION -> {
        AggregationState end = data.aggregation.endedBy(status);
        if (end == AggregationState.DATA_READY) {
          data.life.read(status);
        }
        if (end != null) {
          // Known before it ends: whether a success came before this aggregation.
          boolean hadData = data.life.successfullyAggregatedAt != null;
          aggregationEnded(end);
          if (end == AggregationState.FAILED && data.life.livesOn && hadData) {
            // A refresh's or repair's aggregation: MX's status after it failed tells its health.
            life.checkedUp(status);
          }
        } else {
          readAgainOrEnd();
        }
      }
      case CHECKUP -> life.checkedUp(status);
      default -> {}
    }
    return reaction();
  }

  /**
   * MX's record of another member a repair's success named (null: MX could not read it, or does not
   * know it under this user): it becomes the candidate only if it carries this connection's client
   * id, so no other connection's member can be taken over. MX is read either way.
   */
  public Reaction memberChecked(MxMember member) {
    if (member != null
        && waiting.what() == Wait.CONFIRMATION
        && data.request.memberId().equals(member.id())) {
      data.candidateGuid = member.guid();
    }
    outbox.readMember(false);
    return reaction();
  }

  /** MX's answer to a refresh: an aggregation under way is followed; none is one that failed. */
  public Reaction aggregationAsked(boolean started) {
    if (started) {
      followAggregation();
    } else {
      aggregationEnded(AggregationState.FAILED);
    }
    return reaction();
  }

  /** MX deleted the member (or knew it no longer): the connection ends. */
  public Reaction memberDeleted() {
    data.oauthWindowUri = null;
    data.life.repairing = false;
    moves.fire(ConnectionEvent.DISCONNECT);
    outbox.notify(NotificationType.DISCONNECTED);
    return reaction();
  }

  /**
   * MX did not delete the member: the disconnect is refused, the connection left as it was.
   *
   * @throws Refusal always
   */
  public Reaction memberNotDeleted(String detail) {
    throw Refusal.conflict(
        "MX did not delete the member (" + detail + "); the connection is " + state());
  }

  /** Whether news of this member is news of this connection. */
  public boolean isAbout(String newsMemberGuid) {
    return data.isOwnMember(newsMemberGuid);
  }

  /** MX's news of the member: read what MX reports now, unless the user is what it awaits. */
  public Reaction mxReported() {
    Wait what = waiting.what();
    if (what == Wait.OAUTH
        || what == Wait.CONFIRMATION
        || what == Wait.AGGREGATION
        || what == Wait.CHECKUP) {
      outbox.readMember(false);
    }
    return reaction();
  }

  /** The time the last reaction waited until has come with nothing else happening. */
  public Reaction timeIsUp() {
    switch (waiting.what()) {
      case FIRST_WINDOW -> {
        moves.fire(ConnectionEvent.MEMBER_READY);
        freshWindow();
      }
      case CONFIRMATION, AGGREGATION -> outbox.readMember(false);
      case OAUTH, RESUME, RETRY -> windowOver();
      case CHECKUP -> life.checkupDue();
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
          moves.fire(request.kind().event);
          freshWindow();
        }
        case CANCEL -> {
          data.oauthWindowUri = null;
          if (life.isRepairing()) {
            life.repairEnded(null, "the reconnect was cancelled");
          } else {
            moves.fire(ConnectionEvent.CANCEL);
            outbox.notify(NotificationType.CANCELLED);
          }
        }
        case RECONNECT -> {
          life.startRepair();
          freshWindow();
        }
        case REFRESH -> outbox.aggregate();
        case DISCONNECT -> {
          if (data.memberGuid == null) {
            memberDeleted();
          } else {
            outbox.deleteMember();
          }
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
    return data.isFinished() && waiting.what() == Wait.NOTHING;
  }

  /** Whether no request can change it any more, though it may still follow MX. */
  public boolean isFinished() {
    return data.isFinished();
  }

  /**
   * Whether the connection is between reads of a member it lives with, so that a fresh run of its
   * workflow can take over: nothing it awaits would be lost. {@link #carry} tells what to carry.
   */
  public boolean isSettled() {
    return waiting.what() == Wait.CHECKUP;
  }

  /** Whether a repair succeeded since this run began: a fresh run then drops its history. */
  public boolean wasRepaired() {
    return data.life.repairedThisRun;
  }

  public Continuation carry() {
    return data.carry();
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
    return data.view(env.now());
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
    if (action.then().needsAnotherWindow() && data.attemptInRound() >= policy.maxAttempts()) {
      outOfAttempts(data.lastErrorReason.name());
      return;
    }
    moves.fire(action.event());
    if (action.webhook() != null) {
      outbox.notify(action.webhook());
    }
    if (action.fetchesFreshUri()) {
      freshWindow();
      return;
    }
    waitFor(action.then(), action.windowEnd());
    if (action.then() == Wait.CONFIRMATION) {
      if (data.isOwnMember(message.memberGuid())) {
        // MX usually agrees already: the relay then answers CONNECTED.
        outbox.readMember(false);
      } else {
        outbox.checkMember(message.memberGuid());
      }
    }
  }

  /** While the browser's message is awaited, MX's news stands in for it, in case it was lost. */
  private void learnFromMx(MemberStatus status) {
    String mxStatus = status == null ? null : status.connectionStatus();
    if (status != null && status.reportsConnected()) {
      confirmed();
    } else if (!life.isRepairing() && ("DENIED".equals(mxStatus) || "IMPEDED".equals(mxStatus))) {
      // In a repair, MX still reports the status that made the user sign in again.
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
    moves.fire(event);
    if (life.isRepairing()) {
      life.repaired();
    } else {
      outbox.notify(NotificationType.CONNECTED);
    }
    // The sign-in worked: the connection stays CONNECTED whatever the aggregation does.
    if (Boolean.TRUE.equals(data.request.windowOptions().skipAggregation())) {
      data.aggregation.skip();
      life.settle();
      return;
    }
    followAggregation();
  }

  private void followAggregation() {
    data.aggregation.start(data.life.successfullyAggregatedAt);
    waitFor(Wait.AGGREGATION, WindowEnd.AGGREGATION_FAILS);
    readAgainOrEnd();
  }

  private void aggregationEnded(AggregationState outcome) {
    data.aggregation.end(outcome);
    boolean ready = outcome == AggregationState.DATA_READY;
    metrics.aggregation(ready ? "data_ready" : "failed");
    outbox.notify(ready ? NotificationType.DATA_READY : NotificationType.AGGREGATION_FAILED);
    life.settle();
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
        if (data.attemptInRound() >= policy.maxAttempts()) {
          outOfAttempts(detail);
        } else {
          moves.fire(ConnectionEvent.NOT_CONFIRMED);
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
    newAttempt();
    outbox.fetchWindow();
  }

  /** Another attempt, whose window is awaited for the OAuth-complete message. */
  private void newAttempt() {
    data.candidateGuid = null;
    data.attempt++;
    data.oauthWindowUri = null;
    waitFor(Wait.OAUTH, WindowEnd.ASK_MX);
  }

  private void outOfAttempts(String why) {
    fail(
        ConnectionEvent.ATTEMPTS_EXHAUSTED,
        FailureReason.ATTEMPTS_EXHAUSTED,
        why + " on attempt " + data.attemptInRound() + " of " + policy.maxAttempts());
  }

  private void fail(ConnectionEvent event, FailureReason reason, String detail) {
    if (life.isRepairing()) {
      life.repairEnded(reason, detail);
      return;
    }
    data.failureReason = reason;
    data.failureDetail = detail;
    moves.fire(event);
    outbox.notify(state() == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
  }

  /** The effects gathered since the last reaction, and the wait that follows them. */
  private Reaction reaction() {
    return new Reaction(outbox.drain(), waiting.what(), until());
  }
}
