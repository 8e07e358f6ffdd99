package io.memberflow.workflows.connection.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.workflows.connection.AggregationState;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.NotificationType;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** A time-skipping Temporal with the real workflow and fake ports, and helpers to drive it. */
final class WorkflowHarness implements AutoCloseable {

  /** Set to write each branch's history under src/test/resources/histories for replay tests. */
  private static final String RECORD_PROPERTY = "memberflow.recordHistories";

  /**
   * Where this release of the workflow records them: a folder of its own, beside what earlier
   * releases recorded (docs/architecture.md, Versioning).
   */
  private static final Path RECORDED = Path.of("src/test/resources/histories", "release-3");

  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final FakeMx mx = new FakeMx();
  final RecordingNotifier notifier = new RecordingNotifier();

  WorkflowHarness() {
    ConnectionSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(ConnectionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ConnectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(mx, notifier);
    mx.clock = () -> Instant.ofEpochMilli(env.currentTimeMillis());
    env.start();
  }

  static ConnectionRequest request(String memberId) {
    return request(memberId, "mxbank", OutcomePolicy.defaults());
  }

  static ConnectionRequest request(String memberId, String institution, OutcomePolicy policy) {
    return request(memberId, institution, policy, MxApi.PLATFORM);
  }

  static ConnectionRequest request(
      String memberId, String institution, OutcomePolicy policy, MxApi api) {
    return new ConnectionRequest(
        memberId,
        "user-1",
        memberId,
        institution,
        OAuthWindowOptions.browser(),
        policy,
        api,
        institution,
        "start-" + memberId,
        true);
  }

  /** Starts (or joins) a connection and returns once its first window is out. */
  ConnectionWorkflow start(ConnectionRequest request) {
    ConnectionWorkflow connection =
        stub(
            options(request.connectionId())
                .setTypedSearchAttributes(ConnectionSearchAttributes.atStart(request)));
    WorkflowClient.start(connection::connect, request, null);
    return connection;
  }

  /** Starts or joins the way the API does: the start and the {@code start} update in one call. */
  StartAnswer startLikeTheApi(ConnectionRequest request) {
    ConnectionWorkflow connection =
        stub(
            options(request.connectionId())
                .setTypedSearchAttributes(ConnectionSearchAttributes.atStart(request)));
    return WorkflowClient.startUpdateWithStart(
            connection::start,
            request,
            UpdateOptions.<StartAnswer>newBuilder()
                .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                .build(),
            new WithStartWorkflowOperation<>(connection::connect, request, null))
        .getResult();
  }

  /** The running connection, as a client that did not start it sees it. */
  ConnectionWorkflow running(String connectionId) {
    return env.getWorkflowClient()
        .newWorkflowStub(ConnectionWorkflow.class, ConnectionWorkflow.workflowId(connectionId));
  }

  ConnectionWorkflow stub(String connectionId) {
    return stub(options(connectionId));
  }

  private ConnectionWorkflow stub(WorkflowOptions.Builder options) {
    return env.getWorkflowClient().newWorkflowStub(ConnectionWorkflow.class, options.build());
  }

  private static WorkflowOptions.Builder options(String connectionId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
        .setWorkflowId(ConnectionWorkflow.workflowId(connectionId))
        .setWorkflowIdConflictPolicy(
            WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
  }

  /** What Temporal visibility shows of the connection now. */
  SearchAttributes searchAttributes(ConnectionWorkflow connection) {
    return WorkflowStub.fromTyped(connection).describe().getTypedSearchAttributes();
  }

  /**
   * Webhooks and alerts go out asynchronously after the state change an update reports; wait until
   * the activity queue is drained.
   */
  void awaitDeliveries(ConnectionWorkflow connection) {
    WorkflowExecution execution = WorkflowStub.fromTyped(connection).getExecution();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pendingActivities(execution) == 0);
  }

  private int pendingActivities(WorkflowExecution execution) {
    return describe(execution.getWorkflowId()).getPendingActivitiesCount();
  }

  /** Once the connection's webhooks are out: they were exactly these, in this order. */
  void assertDelivered(ConnectionWorkflow connection, NotificationType... types) {
    awaitDeliveries(connection);
    assertThat(notifier.deliveredTypes()).containsExactly(types);
  }

  /**
   * The connection once nothing is left to follow: its result when it has ended; when it lives on,
   * its view once it waits only for its next read of the member (time skips meanwhile).
   */
  ConnectionView result(ConnectionWorkflow connection) {
    String workflowId = WorkflowStub.fromTyped(connection).getExecution().getWorkflowId();
    while (true) {
      if (hasEnded(workflowId)) {
        return env.getWorkflowClient()
            .newUntypedWorkflowStub(workflowId)
            .getResult(ConnectionView.class);
      }
      ConnectionView view = connection.view();
      if (view.state().isConnectedLife()
          && view.aggregation() != AggregationState.AGGREGATING
          && !view.repairing()) {
        return view;
      }
      env.sleep(Duration.ofSeconds(1));
    }
  }

  static String workflowIdOf(ConnectionWorkflow connection) {
    return WorkflowStub.fromTyped(connection).getExecution().getWorkflowId();
  }

  /** How many events each run of the workflow has, first run first. */
  List<Integer> eventsPerRun(String workflowId) {
    return runIds(workflowId).stream()
        .map(run -> env.getWorkflowClient().fetchHistory(workflowId, run).getEvents().size())
        .toList();
  }

  /** The workflow's runs, first first: each continued as new into the next. */
  private List<String> runIds(String workflowId) {
    List<String> runs = new ArrayList<>();
    String runId = describe(workflowId).getWorkflowExecutionInfo().getExecution().getRunId();
    while (runId != null) {
      runs.add(0, runId);
      String previous =
          env.getWorkflowClient()
              .fetchHistory(workflowId, runId)
              .getEvents()
              .get(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      runId = previous.isEmpty() ? null : previous;
    }
    return runs;
  }

  /** The connection as its latest run shows it, ended or not. */
  ConnectionView lastView(ConnectionWorkflow connection) {
    String workflowId = workflowIdOf(connection);
    if (hasEnded(workflowId)) {
      return env.getWorkflowClient()
          .newUntypedWorkflowStub(workflowId)
          .getResult(ConnectionView.class);
    }
    return connection.view();
  }

  /** Whether the connection's workflow has ended: its latest run closed, not continued as new. */
  private boolean hasEnded(String workflowId) {
    WorkflowExecutionStatus status = status(workflowId);
    return status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  }

  /** The status of the workflow's latest run. */
  WorkflowExecutionStatus status(String workflowId) {
    return describe(workflowId).getWorkflowExecutionInfo().getStatus();
  }

  /** The workflow's latest run, as Temporal describes it. */
  private DescribeWorkflowExecutionResponse describe(String workflowId) {
    return env.getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
  }

  /**
   * Replays each run of the connection, once it has nothing left to follow, against the current
   * code (it must not diverge) and, when asked to, stores it as a recorded history for {@code
   * ConnectionWorkflowReplayTest}: the first run as {@code branch}, the runs it continued as new
   * into as {@code branch-run2} and on.
   */
  void replayAndMaybeRecord(ConnectionWorkflow connection, String branch) throws Exception {
    result(connection);
    String workflowId = workflowIdOf(connection);
    List<String> runs = runIds(workflowId);
    for (int run = 0; run < runs.size(); run++) {
      WorkflowExecutionHistory history =
          env.getWorkflowClient().fetchHistory(workflowId, runs.get(run));
      WorkflowReplayer.replayWorkflowExecution(history, ConnectionWorkflowImpl.class);
      Path recorded = RECORDED.resolve(branch + (run == 0 ? "" : "-run" + (run + 1)) + ".json");
      // Recorded histories are what earlier versions wrote: new ones go beside them, never over.
      if (Boolean.getBoolean(RECORD_PROPERTY) && !Files.exists(recorded)) {
        write(recorded, history.toJson(true));
      }
    }
  }

  private static void write(Path path, String json) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, json);
  }

  @Override
  public void close() {
    env.close();
  }
}
