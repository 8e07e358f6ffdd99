package io.memberflow.service.connections;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.memberflow.service.connections.Handled.Progress;
import io.memberflow.service.encryption.BlindIndex;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.errors.TemporalBusy;
import io.memberflow.service.metrics.MetricsProperties;
import io.memberflow.service.notifications.NotificationProperties;
import io.memberflow.service.web.ApiProperties;
import io.memberflow.service.web.TemporalCallDeadline;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.Refusal;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.client.WorkflowUpdateTimeoutOrCancelledException;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Functions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Connections as the API sees them, on top of their workflows. */
@Service
public class ConnectionService {

  /** How long a call waits for the workflow to act on an update before answering as it is. */
  private final Duration updateWait;

  private final TemporalCallDeadline deadlines;
  private final BlindIndex index;
  private final WorkflowClient client;
  private final PolicyProperties policy;
  private final StartOptions startOptions;
  private final MetricsProperties metrics;
  private final NotificationProperties notifications;
  private final RepeatedStarts repeatedStarts = new RepeatedStarts();

  public ConnectionService(
      WorkflowClient client,
      PolicyProperties policy,
      StartOptions startOptions,
      MetricsProperties metrics,
      NotificationProperties notifications,
      TemporalCallDeadline deadlines,
      BlindIndex index,
      ApiProperties api) {
    this.client = client;
    this.policy = policy;
    this.startOptions = startOptions;
    this.metrics = metrics;
    this.notifications = notifications;
    this.updateWait = api.updateWait();
    this.deadlines = deadlines;
    this.index = index;
  }

  /**
   * A start, or one that comes again ({@link RepeatedStarts}). A start sent to Temporal is one
   * round trip: the workflow's start and the {@code start} update go together (update-with-start),
   * so concurrent starts of one member join one run, and the workflow tells the one whose request
   * started it that it created the connection.
   */
  public Handled start(StartConnectionRequest request) {
    return repeatedStarts.answer(
        request, () -> answeredByState(request), () -> startAtTemporal(request));
  }

  /**
   * A running connection's own answer to a start that asks for what it is (same user, institution
   * and API): the connection as it is, once its first window is out; a query, so no update queues.
   * Otherwise (not running, still starting, or asked for something else) the workflow decides.
   */
  private Optional<Handled> answeredByState(StartConnectionRequest request) {
    ConnectionView running;
    try {
      running = stub(request.memberId()).view();
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
    boolean asked =
        running.userId().equals(request.userId())
            && running.institutionCode().equals(request.institutionCode())
            && running.mxApi() == startOptions.mxApi(request.mxApi());
    boolean answers =
        asked && running.state() != ConnectionState.STARTING && !running.state().isTerminal();
    return answers ? Optional.of(new Handled(running, Progress.DONE)) : Optional.empty();
  }

  private Handled startAtTemporal(StartConnectionRequest request) {
    MxApi api = startOptions.mxApi(request.mxApi());
    OAuthWindowOptions options = startOptions.windowOptions(request);
    String workflowId = ConnectionWorkflow.workflowId(request.memberId());
    ConnectionRequest input =
        new ConnectionRequest(
            request.memberId(),
            request.userId(),
            request.memberId(),
            request.institutionCode(),
            options,
            policy.toPolicy(),
            api,
            metrics.institutionLabel(request.institutionCode()),
            UUID.randomUUID().toString(),
            !notifications.webhooks().isEmpty());
    ConnectionWorkflow workflow =
        client.newWorkflowStub(
            ConnectionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder(ConnectionSearchAttributes.atStart(input))
                        .set(ConnectionSearchAttributes.USER_ID, index.userId(request.userId()))
                        .build())
                .setMemo(Map.of(ConnectionDirectory.USER_ID_MEMO, request.userId()))
                .build());
    return withinWait(
        request.memberId(),
        () -> {
          // Starts of one member through other instances may meet Temporal's limit of updates
          // in flight per workflow: that is waited out, not answered 429.
          StartAnswer answer =
              TemporalBusy.waitedOut(
                  () ->
                      WorkflowClient.startUpdateWithStart(
                              workflow::start,
                              input,
                              WAIT_FOR_RESULT,
                              new WithStartWorkflowOperation<>(workflow::connect, input, null))
                          .getResult(waitLeft(), TimeUnit.MILLISECONDS));
          return new Handled(
              answer.connection(), answer.created() ? Progress.CREATED : Progress.DONE);
        });
  }

  public ConnectionView view(String connectionId) {
    try {
      return stub(connectionId).view();
    } catch (WorkflowNotFoundException e) {
      throw notFound(connectionId);
    }
  }

  public Handled relay(String connectionId, OAuthMessage message) {
    try {
      return update(
          connectionId,
          workflow ->
              WorkflowClient.startUpdate(workflow::relayOAuthMessage, message, WAIT_FOR_VIEW));
    } catch (ConnectionEnded e) {
      // MX's webhook may have connected it, and the connection ended, before the browser relayed.
      ConnectionView ended = e.connection;
      if (message.succeeded()
          && ended.state() == ConnectionState.CONNECTED
          && message.memberGuid().equals(ended.memberGuid())) {
        return new Handled(ended, Progress.DONE);
      }
      throw e;
    }
  }

  public Handled retry(String connectionId) {
    return send(connectionId, workflow -> workflow::retry);
  }

  public Handled resume(String connectionId) {
    return send(connectionId, workflow -> workflow::resume);
  }

  public Handled cancel(String connectionId) {
    return send(connectionId, workflow -> workflow::cancel);
  }

  /** A fresh window on the same member for a user who must sign in again; joins one under way. */
  public Handled reconnect(String connectionId) {
    return send(connectionId, workflow -> workflow::reconnect);
  }

  /** An aggregation asked of MX; too soon by MX's rules, a 409 that says when. */
  public Handled refresh(String connectionId) {
    return send(connectionId, workflow -> workflow::refresh);
  }

  /** Deletes the member at MX and ends the connection; a disconnected one answers as it is. */
  public Handled disconnect(String connectionId) {
    try {
      return send(connectionId, workflow -> workflow::disconnect);
    } catch (ConnectionEnded e) {
      if (e.connection.state() == ConnectionState.DISCONNECTED) {
        return new Handled(e.connection, Progress.DONE);
      }
      throw e;
    }
  }

  /**
   * Updates are sent to be accepted, and their result is then awaited for what is left of the
   * update wait. Asked to wait for COMPLETED, the SDK waits for the result without bound whenever
   * Temporal answers before the update completed, so a slow start answered 201 after the whole of
   * MX's delay instead of 202 when the wait was over.
   */
  private static final UpdateOptions<ConnectionView> WAIT_FOR_VIEW =
      UpdateOptions.<ConnectionView>newBuilder()
          .setWaitForStage(WorkflowUpdateStage.ACCEPTED)
          .build();

  private static final UpdateOptions<StartAnswer> WAIT_FOR_RESULT =
      UpdateOptions.<StartAnswer>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build();

  /** Sends an update and answers with the connection once the workflow has acted on it. */
  /** {@link #update} with an update method that takes no argument. */
  private Handled send(
      String connectionId, Function<ConnectionWorkflow, Functions.Func<ConnectionView>> method) {
    return update(
        connectionId,
        workflow -> WorkflowClient.startUpdate(method.apply(workflow), WAIT_FOR_VIEW));
  }

  private Handled update(
      String connectionId,
      Function<ConnectionWorkflow, WorkflowUpdateHandle<ConnectionView>> send) {
    return withinWait(
        connectionId,
        () ->
            new Handled(
                send.apply(stub(connectionId)).getResult(waitLeft(), TimeUnit.MILLISECONDS),
                Progress.DONE));
  }

  /**
   * Runs a call to Temporal bounded by the update wait. When the workflow has not acted by then (MX
   * slow to hand out the next window), the request is still taken and goes on in the workflow: the
   * answer is the connection as it is, under way.
   */
  private Handled withinWait(String connectionId, Callable<Handled> call) {
    try {
      return deadlines.within(updateWait, call);
    } catch (WorkflowUpdateException e) {
      throw rejection(e, connectionId);
    } catch (WorkflowUpdateTimeoutOrCancelledException e) {
      return underWay(connectionId);
    } catch (WorkflowServiceException e) {
      // The wait passed, not the request's own deadline: Temporal is there, the workflow is slow.
      Deadline request = Context.current().getDeadline();
      if (Status.fromThrowable(e).getCode() == Status.Code.DEADLINE_EXCEEDED
          && (request == null || !request.isExpired())) {
        return underWay(connectionId);
      }
      throw e;
    } catch (CompletionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return underWay(connectionId);
      }
      throw e;
    } catch (WorkflowNotFoundException e) {
      // No running workflow: either it never existed (the read says so), or it has ended.
      throw new ConnectionEnded(view(connectionId));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What is left of the wait, for the part of a call that polls for the result. */
  private static long waitLeft() {
    return Math.max(1, Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
  }

  private Handled underWay(String connectionId) {
    return new Handled(view(connectionId), Progress.UNDER_WAY);
  }

  /** An update for a connection whose workflow has ended: 409, with the state it ended in. */
  static final class ConnectionEnded extends ConnectionConflict {
    ConnectionEnded(ConnectionView connection) {
      super(
          "Connection ended", "the connection has ended: it is " + connection.state(), connection);
    }
  }

  private ConnectionWorkflow stub(String connectionId) {
    return client.newWorkflowStub(
        ConnectionWorkflow.class, ConnectionWorkflow.workflowId(connectionId));
  }

  /**
   * A refusal of the workflow's; a conflict says what the connection is, so the caller knows what
   * applied.
   */
  private ApiException rejection(WorkflowUpdateException e, String connectionId) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      if (Refusal.INVALID.equals(failure.getType())) {
        return new ApiException(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "Not for this connection",
            failure.getOriginalMessage());
      }
      if (Refusal.TOO_SOON.equals(failure.getType())) {
        return new ConnectionConflict.TooSoon(
            failure.getOriginalMessage(), view(connectionId), Instant.now());
      }
      if (Refusal.CONFLICT.equals(failure.getType())) {
        return new ConnectionConflict(
            "Not possible now", failure.getOriginalMessage(), view(connectionId));
      }
    }
    throw e;
  }

  private static ApiException notFound(String connectionId) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "No such connection", "no connection " + connectionId);
  }
}
