package io.memberflow.workflows.connection.temporal;

import io.memberflow.workflows.connection.ClientRequest;
import io.memberflow.workflows.connection.Connection;
import io.memberflow.workflows.connection.ConnectionEnvironment;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.Continuation;
import io.memberflow.workflows.connection.Effect;
import io.memberflow.workflows.connection.Effect.Aggregate;
import io.memberflow.workflows.connection.Effect.Alert;
import io.memberflow.workflows.connection.Effect.CheckMember;
import io.memberflow.workflows.connection.Effect.CreateMember;
import io.memberflow.workflows.connection.Effect.DeleteMember;
import io.memberflow.workflows.connection.Effect.EnsureUser;
import io.memberflow.workflows.connection.Effect.FetchWindow;
import io.memberflow.workflows.connection.Effect.Notify;
import io.memberflow.workflows.connection.Effect.OpenMember;
import io.memberflow.workflows.connection.Effect.ReadMember;
import io.memberflow.workflows.connection.FailureReason;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.Reaction;
import io.memberflow.workflows.connection.Refusal;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxMemberNews;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The Temporal shell of a {@link Connection}: it owns the waiting, the requests the update handlers
 * queue, the MX calls, the deliveries and visibility, and carries out what the connection decides.
 * The main loop feeds the connection the next request, MX's news, or the end of its wait.
 */
public class ConnectionWorkflowImpl implements ConnectionWorkflow {

  private static final Logger log = Workflow.getLogger(ConnectionWorkflowImpl.class);

  /**
   * The version marker of the member's life: from version 1 a connection stays after connecting,
   * reads its member daily and continues as new. Runs recorded before it (release-1) end once
   * connected, as they did.
   */
  static final String MEMBER_LIFE = "member-life";

  /**
   * The version marker of the fewest MX calls (release 3): from version 1 a run calls MX through
   * local activities and opens its member, user included, in one call that brings the first window.
   * Runs recorded before it call MX through activities, in three calls to the first window.
   */
  static final String FEWEST_MX_CALLS = "fewest-mx-calls";

  /**
   * A run of a connection that lives on continues as new past this many events (Temporal suggests
   * it only at thousands): about six weeks of daily reads, so a worker that takes a run over
   * replays a few hundred events, not a member's whole life.
   */
  static final int EVENTS_PER_RUN = 500;

  /** A request, and the promise its handler waits on until the main loop has acted on it. */
  private record Queued(ClientRequest request, CompletablePromise<Void> done) {}

  /** MX, for calls retried as long as any; chosen with {@link #mxReads} as the run begins. */
  private MxGateway mx;

  /** MX, for the short reads the connection repeats anyway. */
  private MxGateway mxReads;

  /** Requests in arrival order; the validators read it, the main loop drains it. */
  private final List<Queued> pending = new ArrayList<>();

  private final ConnectionRequest request;
  private final Connection connection;
  private final Deliveries deliveries;
  private final MxApi api;

  /** MX sent news of the member since it was last read. */
  private boolean mxNews;

  private ConnectionSearchAttributes.Shown shown = ConnectionSearchAttributes.Shown.AT_START;

  /** Runs before any update or query, so their handlers always see the connection. */
  @WorkflowInit
  public ConnectionWorkflowImpl(ConnectionRequest request, Continuation carried) {
    this.request = request;
    this.connection =
        new Connection(
            request,
            carried,
            new WorkflowEnvironment(),
            new WorkflowMetrics(request.metricsInstitution()));
    this.deliveries = new Deliveries(request.webhooks());
    this.api = request.mxApi();
  }

  @Override
  public ConnectionView connect(ConnectionRequest ignored, Continuation carried) {
    boolean local = Workflow.getVersion(FEWEST_MX_CALLS, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (local) {
      mx = Workflow.newLocalActivityStub(MxGateway.class, ActivityRetries.LOCAL_MX_CALLS);
      mxReads = Workflow.newLocalActivityStub(MxGateway.class, ActivityRetries.LOCAL_MX_READS);
      connection.opensInOneCall();
    } else {
      mx = Workflow.newActivityStub(MxGateway.class, ActivityRetries.MX_CALLS);
      mxReads = Workflow.newActivityStub(MxGateway.class, ActivityRetries.MX_READS);
    }
    if (carried != null) {
      carryOut(connection.carriedOn());
    } else {
      if (Workflow.getVersion(MEMBER_LIFE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        connection.liveOn();
      }
      carryOut(connection.begin());
    }
    while (!connection.hasEnded()) {
      // A request accepted in the same task as the timer fired still counts: look at what
      // arrived, not at whether the wait timed out.
      Duration left = timeLeft();
      if (pending.isEmpty() && !mxNews && !left.isZero()) {
        if (connection.isSettled() && isTimeForFreshRun()) {
          continueAsNewWhenQuiet();
          continue;
        }
        showWhereItWaits();
        Workflow.await(left, () -> !pending.isEmpty() || mxNews);
      }
      if (!pending.isEmpty()) {
        act(next());
      } else if (mxNews) {
        mxNews = false;
        carryOut(connection.mxReported());
      } else {
        carryOut(connection.timeIsUp());
      }
    }
    showWhereItWaits();
    // Requests that arrived as the connection ended hear that they came too late, or, for the
    // outcome it ended with, the ended connection.
    while (!pending.isEmpty()) {
      act(next());
    }
    deliveries.awaitAll();
    Workflow.await(Workflow::isEveryHandlerFinished);
    return connection.view();
  }

  /**
   * A connection that lives on takes a fresh run before its history grows long, and after a repair
   * (whose attempts filled it).
   */
  private boolean isTimeForFreshRun() {
    var info = Workflow.getInfo();
    return info.isContinueAsNewSuggested()
        || info.getHistoryLength() >= EVENTS_PER_RUN
        || connection.wasRepaired();
  }

  /**
   * Continues as new once every handler has finished and every delivery is out; returns if a
   * request or MX's news comes first, for the main loop to act on it.
   */
  private void continueAsNewWhenQuiet() {
    showWhereItWaits();
    boolean quiet =
        Workflow.await(
            timeLeft(),
            () ->
                (Workflow.isEveryHandlerFinished() && deliveries.allOut())
                    || !pending.isEmpty()
                    || mxNews);
    // Webhooks still retrying when the next read is due: read first, take a fresh run later.
    if (quiet && pending.isEmpty() && !mxNews) {
      deliveries.awaitAll();
      String userId = Workflow.getMemo(ConnectionWorkflow.USER_ID_MEMO, String.class, String.class);
      Map<String, Object> memo =
          userId == null ? Map.of() : Map.of(ConnectionWorkflow.USER_ID_MEMO, userId);
      Workflow.continueAsNew(
          ContinueAsNewOptions.newBuilder().setMemo(memo).build(), request, connection.carry());
    }
  }

  // --- carrying reactions out ---

  private void carryOut(Reaction reaction) {
    for (Effect effect : reaction.effects()) {
      if (effect instanceof Notify notify) {
        deliveries.notify(notify.notification());
      } else if (effect instanceof Alert alert) {
        deliveries.alert(alert.alert());
      } else if (effect instanceof ReadMember read) {
        carryOut(connection.memberRead(readStatus(read)));
      } else if (effect instanceof CheckMember check) {
        carryOut(connection.memberChecked(readMember(check)));
      } else if (effect instanceof Aggregate aggregate) {
        carryOut(connection.aggregationAsked(askAggregation(aggregate)));
      } else if (effect instanceof DeleteMember delete) {
        carryOut(deleteMember(delete));
      } else {
        carryOut(callMx(effect));
      }
    }
  }

  /** An MX call whose failure fails the connection, once Temporal's retries are spent. */
  private Reaction callMx(Effect call) {
    try {
      if (call instanceof OpenMember open) {
        return connection.memberOpened(mx.openOAuthMember(open.member(), api));
      }
      if (call instanceof EnsureUser ensure) {
        return connection.userEnsured(mx.ensureUser(ensure.userId(), api));
      }
      if (call instanceof CreateMember create) {
        return connection.memberCreated(mx.createOAuthMember(create.member(), api));
      }
      return connection.windowIssued(mx.requestOAuthWindowUri(((FetchWindow) call).request(), api));
    } catch (ActivityFailure failure) {
      FailureReason reason = FailureReason.MX_UNAVAILABLE;
      String detail = detail(failure);
      if (failure.getCause() instanceof ApplicationFailure cause) {
        if (MxGateway.MEMBER_CANNOT_USE_OAUTH.equals(cause.getType())) {
          reason = FailureReason.OAUTH_NOT_SUPPORTED;
        } else if (MxGateway.REJECTED.equals(cause.getType())) {
          reason = FailureReason.MX_REJECTED;
        }
      }
      return connection.mxFailed(reason, detail);
    }
  }

  private static String detail(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure cause) {
      return cause.getOriginalMessage();
    }
    return failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage();
  }

  /** MX's record of a member, or null when MX could not read it (or does not know it). */
  private MxMember readMember(CheckMember check) {
    return orNull(
        () -> mxReads.readMember(check.userGuid(), check.memberGuid(), api),
        "Could not read a member at MX");
  }

  /** A short MX read whose failure the connection decides on: null, logged. */
  private static <T> T orNull(Supplier<T> read, String failed) {
    try {
      return read.get();
    } catch (ActivityFailure failure) {
      log.warn(failed, failure);
      return null;
    }
  }

  /** Whether MX has an aggregation of the member under way after the ask. */
  private boolean askAggregation(Aggregate aggregate) {
    try {
      mx.aggregateMember(aggregate.userGuid(), aggregate.memberGuid(), api);
      return true;
    } catch (ActivityFailure failure) {
      log.warn("MX did not aggregate the member", failure);
      return false;
    }
  }

  private Reaction deleteMember(DeleteMember delete) {
    try {
      mx.deleteMember(delete.userGuid(), delete.memberGuid(), api);
      return connection.memberDeleted();
    } catch (ActivityFailure failure) {
      return connection.memberNotDeleted(detail(failure));
    }
  }

  /** MX's view of the member, or null when MX could not be read (the connection decides). */
  private MemberStatus readStatus(ReadMember read) {
    return orNull(
        () ->
            (read.patient() ? mx : mxReads)
                .readMemberStatus(read.userGuid(), read.memberGuid(), api),
        "Could not read the member's status at MX");
  }

  private Duration timeLeft() {
    Instant until =
        Objects.requireNonNull(connection.until(), "a running connection waits until a time");
    Duration left = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), until);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Before the connection waits (for the user, MX, or its end): visibility shows it as it is. */
  private void showWhereItWaits() {
    ConnectionView view = connection.view();
    var now =
        new ConnectionSearchAttributes.Shown(
            view.state(), view.attempt(), view.lastErrorReason(), view.memberGuid());
    var changes = ConnectionSearchAttributes.changes(shown, now);
    if (!changes.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changes.toArray(SearchAttributeUpdate<?>[]::new));
      shown = now;
    }
  }

  // --- requests from update handlers ---

  /** The next request to act on: a cancel first, whatever it arrived with, else the oldest. */
  private Queued next() {
    Queued next =
        pending.stream()
            .filter(q -> q.request().kind() == ClientRequest.Kind.CANCEL)
            .findFirst()
            .orElse(pending.get(0));
    pending.remove(next);
    return next;
  }

  private void act(Queued next) {
    try {
      carryOut(connection.handle(next.request()));
      next.done().complete(null);
    } catch (Refusal movedOn) {
      next.done()
          .completeExceptionally(
              ApplicationFailure.newNonRetryableFailure(movedOn.getMessage(), movedOn.type()));
    }
  }

  private ConnectionView ask(ClientRequest request) {
    Queued queued = new Queued(request, Workflow.newPromise());
    if (connection.isFinished()) {
      // Only a message for the outcome it ended with gets here (the validator saw to it), and it
      // changes nothing: the ended connection answers it at once, whatever the main loop does.
      act(queued);
    } else {
      pending.add(queued);
    }
    queued.done().get();
    return connection.view();
  }

  private List<ClientRequest> queuedRequests() {
    return pending.stream().map(Queued::request).toList();
  }

  // --- queries, signals and updates ---

  @Override
  public ConnectionView view() {
    return connection.view();
  }

  @Override
  public void mxMemberChanged(MxMemberNews news) {
    mxNews |= connection.isAbout(news.memberGuid());
  }

  @Override
  public ConnectionView awaitFirstWindow() {
    Workflow.await(connection::hasFirstWindowOrMovedOn);
    return connection.view();
  }

  @Override
  public void validateStart(ConnectionRequest start) {
    connection.rules().checkStart(start);
  }

  @Override
  public StartAnswer start(ConnectionRequest start) {
    return new StartAnswer(awaitFirstWindow(), connection.rules().wasStartedBy(start));
  }

  @Override
  public void validateOAuthMessage(OAuthMessage message) {
    connection.rules().applies(ClientRequest.relay(message), queuedRequests());
  }

  @Override
  public ConnectionView relayOAuthMessage(OAuthMessage message) {
    return ask(ClientRequest.relay(message));
  }

  @Override
  public void validateRetry() {
    connection.rules().applies(ClientRequest.RETRY, queuedRequests());
  }

  @Override
  public ConnectionView retry() {
    return ask(ClientRequest.RETRY);
  }

  @Override
  public void validateResume() {
    connection.rules().applies(ClientRequest.RESUME, queuedRequests());
  }

  @Override
  public ConnectionView resume() {
    return ask(ClientRequest.RESUME);
  }

  @Override
  public void validateCancel() {
    connection.rules().applies(ClientRequest.CANCEL, queuedRequests());
  }

  @Override
  public ConnectionView cancel() {
    return ask(ClientRequest.CANCEL);
  }

  @Override
  public void validateReconnect() {
    connection.rules().applies(ClientRequest.RECONNECT, queuedRequests());
  }

  @Override
  public ConnectionView reconnect() {
    return ask(ClientRequest.RECONNECT);
  }

  @Override
  public void validateRefresh() {
    connection.rules().applies(ClientRequest.REFRESH, queuedRequests());
  }

  @Override
  public ConnectionView refresh() {
    return ask(ClientRequest.REFRESH);
  }

  @Override
  public void validateDisconnect() {
    connection.rules().applies(ClientRequest.DISCONNECT, queuedRequests());
  }

  @Override
  public ConnectionView disconnect() {
    return ask(ClientRequest.DISCONNECT);
  }

  /** Workflow time and ids: replayed as they were. */
  private static final class WorkflowEnvironment implements ConnectionEnvironment {
    @Override
    public Instant now() {
      return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    @Override
    public String newId() {
      return Workflow.randomUUID().toString();
    }
  }
}
