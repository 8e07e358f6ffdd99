package io.memberflow.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.List;

/**
 * The length of finished flows' histories: the events Temporal wrote for a flow, its own measure of
 * the flow's work (each is a write to its database).
 */
final class Histories implements AutoCloseable {

  private final WorkflowServiceStubs service;
  private final String namespace;

  Histories(Stack stack) {
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporalTarget()).build());
    this.namespace = stack.namespace();
  }

  /** The median number of events in these workflows' histories, as they are now. */
  double median(List<String> workflowIds) {
    long[] lengths =
        workflowIds.stream()
            .mapToLong(
                id ->
                    service
                        .blockingStub()
                        .describeWorkflowExecution(
                            DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(namespace)
                                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                                .build())
                        .getWorkflowExecutionInfo()
                        .getHistoryLength())
            .sorted()
            .toArray();
    return lengths.length == 0 ? Double.NaN : lengths[lengths.length / 2];
  }

  @Override
  public void close() {
    service.shutdownNow();
  }
}
