package io.memberflow.bench;

import io.memberflow.bench.bare.BareFlow;
import io.memberflow.bench.bare.BareFlow.BareStart;
import io.memberflow.bench.bare.BareFlow.BareWindow;
import io.memberflow.sandbox.SandboxBrowser;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The baseline, driven by a bare Temporal client: update-with-start for the window, the same
 * browser part at the sandbox, one update with the message.
 */
final class BareSide implements Side, AutoCloseable {

  private static final UpdateOptions<BareWindow> WINDOW =
      UpdateOptions.<BareWindow>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build();

  private static final UpdateOptions<String> COMPLETE =
      UpdateOptions.<String>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final SandboxBrowser browser;
  private final Part worker;

  BareSide(Stack stack, HttpClient http) {
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalTarget()).build());
    this.client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(stack.namespace()).build());
    this.browser = new SandboxBrowser(stack.sandboxUrl(), http);
    this.worker = stack.bareWorker;
  }

  @Override
  public String name() {
    return "bare";
  }

  @Override
  public String workflowId(String memberId) {
    return "bare-" + memberId;
  }

  @Override
  public Part worker() {
    return worker;
  }

  /** The bare client sets no deadline: it waits for Temporal however long that takes. */
  @Override
  public long repeated() {
    return 0;
  }

  @Override
  public FlowTimes run(String memberId) throws Exception {
    long began = System.nanoTime();
    BareFlow flow = flow(memberId);
    BareWindow window = open(flow, memberId);
    long windowOut = System.nanoTime();
    String message = browser.completeOAuth(window.oauthWindowUri(), "success");
    long relayed = System.nanoTime();
    String status =
        WorkflowClient.startUpdate(flow::complete, message, COMPLETE)
            .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    long connected = System.nanoTime();
    if (!"CONNECTED".equals(status)) {
      throw new IllegalStateException(memberId + ": MX reports " + status);
    }
    return new FlowTimes(windowOut - began, connected - relayed);
  }

  /** A new flow's first window, for a new user. */
  BareWindow open(String memberId) {
    return open(flow(memberId), memberId);
  }

  private BareWindow open(BareFlow flow, String memberId) {
    return WorkflowClient.startUpdateWithStart(
            flow::window,
            WINDOW,
            new WithStartWorkflowOperation<>(
                flow::run, new BareStart("user-" + memberId, memberId, MemberflowSide.INSTITUTION)))
        .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  private BareFlow flow(String memberId) {
    return client.newWorkflowStub(
        BareFlow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(BareFlow.TASK_QUEUE)
            .setWorkflowId(workflowId(memberId))
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .build());
  }

  @Override
  public void close() {
    service.shutdownNow();
  }
}
