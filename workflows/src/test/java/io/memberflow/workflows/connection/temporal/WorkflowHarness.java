package io.memberflow.workflows.connection.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.NotificationType;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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
import org.awaitility.Awaitility;

/** A time-skipping Temporal with the real workflow and fake ports, and helpers to drive it. */
final class WorkflowHarness implements AutoCloseable {

  /** Set to write each branch's history under src/test/resources/histories for replay tests. */
  private static final String RECORD_PROPERTY = "memberflow.recordHistories";

  /**
   * Where this release of the workflow records them: a folder of its own, beside what earlier
   * releases recorded (docs/architecture.md, Versioning).
   */
  private static final Path RECORDED = Path.of("src/test/resources/histories", "release-1");

  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final FakeMx mx = new FakeMx();
  final RecordingNotifier notifier = new RecordingNotifier();

  WorkflowHarness() {
    ConnectionSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(ConnectionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ConnectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(mx, notifier);
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
    WorkflowClient.start(connection::connect, request);
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
            new WithStartWorkflowOperation<>(connection::connect, request))
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
    return env.getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setExecution(execution)
                .build())
        .getPendingActivitiesCount();
  }

  /** Once the connection's webhooks are out: they were exactly these, in this order. */
  void assertDelivered(ConnectionWorkflow connection, NotificationType... types) {
    awaitDeliveries(connection);
    assertThat(notifier.deliveredTypes()).containsExactly(types);
  }

  ConnectionView result(ConnectionWorkflow connection) {
    return WorkflowStub.fromTyped(connection).getResult(ConnectionView.class);
  }

  /**
   * Replays the finished connection's history against the current code (it must not diverge) and,
   * when asked to, stores it as a recorded history for {@code ConnectionWorkflowReplayTest}.
   */
  void replayAndMaybeRecord(ConnectionWorkflow connection, String branch) throws Exception {
    result(connection);
    String workflowId = WorkflowStub.fromTyped(connection).getExecution().getWorkflowId();
    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(workflowId);
    WorkflowReplayer.replayWorkflowExecution(history, ConnectionWorkflowImpl.class);
    Path recorded = RECORDED.resolve(branch + ".json");
    // Recorded histories are what earlier versions wrote: new ones go beside them, never over.
    if (Boolean.getBoolean(RECORD_PROPERTY) && !Files.exists(recorded)) {
      write(recorded, history.toJson(true));
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
