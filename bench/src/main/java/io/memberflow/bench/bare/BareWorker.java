package io.memberflow.bench.bare;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

/**
 * The baseline's worker, a process of its own like memberflow's service, with the SDK's defaults:
 * {@code BareWorker <temporal host:port> <namespace> <sandbox url> <client id> <api key>}.
 */
public final class BareWorker {

  private BareWorker() {}

  public static void main(String[] args) throws InterruptedException {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(args[0]).build());
    WorkerFactory factory =
        WorkerFactory.newInstance(
            WorkflowClient.newInstance(
                service, WorkflowClientOptions.newBuilder().setNamespace(args[1]).build()));
    Worker worker = factory.newWorker(BareFlow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(BareFlowImpl.class);
    worker.registerActivitiesImplementations(new BareMxHttp(args[2], args[3], args[4]));
    factory.start();
    Runtime.getRuntime().addShutdownHook(new Thread(factory::shutdownNow));
    Thread.currentThread().join();
  }
}
