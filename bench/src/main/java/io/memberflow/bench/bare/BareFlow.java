package io.memberflow.bench.bare;

import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The baseline memberflow is measured against: the MX calls of a successful connection and nothing
 * else, as a minimal Temporal workflow would make them. No lifecycle, validation, encryption,
 * search attributes, metrics or notifications.
 */
@WorkflowInterface
public interface BareFlow {

  String TASK_QUEUE = "bench-bare-flows";

  /** Ends once the message was confirmed at MX. */
  @WorkflowMethod
  String run(BareStart start);

  /** Sent with the start: answers with the window once MX handed it out. */
  @UpdateMethod
  BareWindow window();

  /** The browser's message: MX's status of the member is read, then the flow ends. */
  @UpdateMethod
  String complete(String message);

  record BareStart(String userId, String memberId, String institutionCode) {}

  record BareWindow(String memberGuid, String oauthWindowUri) {}
}
