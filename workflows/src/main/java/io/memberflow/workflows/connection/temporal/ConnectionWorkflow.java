package io.memberflow.workflows.connection.temporal;

import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.Continuation;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.mx.MxMemberNews;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One MX member OAuth connection, from member creation through the member's whole life, as Temporal
 * runs it (one workflow per member, continued as new while it lives). Every update is validated
 * before it reaches history; a rejected one leaves the connection as it was and fails with a {@link
 * io.memberflow.workflows.connection.Refusal}'s type.
 */
@WorkflowInterface
public interface ConnectionWorkflow {

  String TASK_QUEUE = "memberflow-connections";

  /** The workflow id of a connection; one connection per client-defined member id. */
  static String workflowId(String connectionId) {
    return WORKFLOW_ID_PREFIX + connectionId;
  }

  /** The connection a workflow id belongs to. */
  static String connectionId(String workflowId) {
    return workflowId.startsWith(WORKFLOW_ID_PREFIX)
        ? workflowId.substring(WORKFLOW_ID_PREFIX.length())
        : workflowId;
  }

  String WORKFLOW_ID_PREFIX = "connection-";

  /** The connection's user id, in its memo: visibility shows only its keyed hash. */
  String USER_ID_MEMO = "user_id";

  /**
   * Runs the connection: from its start, or (with {@code carried}, when the workflow continued as
   * new) from where its last run left it.
   */
  @WorkflowMethod
  ConnectionView connect(ConnectionRequest request, Continuation carried);

  @QueryMethod
  ConnectionView view();

  /** MX has news of the member (its webhook): the connection reads MX at once, if it waits. */
  @SignalMethod
  void mxMemberChanged(MxMemberNews news);

  /** Returns once the first {@code oauth_window_uri} is out, or the connection has ended. */
  @UpdateMethod
  ConnectionView awaitFirstWindow();

  /**
   * A start through the API, sent with the workflow's start (update-with-start) by every call that
   * asks for this connection: answers once the first window is out, and tells the one call whose
   * request started the run that it created the connection.
   */
  @UpdateMethod
  StartAnswer start(ConnectionRequest start);

  /**
   * A start that names another user, institution or MX API than the running connection is refused.
   */
  @UpdateValidatorMethod(updateName = "start")
  void validateStart(ConnectionRequest start);

  /** The browser's OAuth-complete message; returns the connection after it was acted on. */
  @UpdateMethod
  ConnectionView relayOAuthMessage(OAuthMessage message);

  @UpdateValidatorMethod(updateName = "relayOAuthMessage")
  void validateOAuthMessage(OAuthMessage message);

  /** After DENIED or a provider error: a fresh window. */
  @UpdateMethod
  ConnectionView retry();

  @UpdateValidatorMethod(updateName = "retry")
  void validateRetry();

  /** After IMPEDED, once the user acted at the institution: a fresh window. */
  @UpdateMethod
  ConnectionView resume();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  @UpdateMethod
  ConnectionView cancel();

  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel();

  /**
   * When the user must sign in again: a fresh window on the same member, the attempts of a first
   * connection. A reconnect while one is under way joins it.
   */
  @UpdateMethod
  ConnectionView reconnect();

  @UpdateValidatorMethod(updateName = "reconnect")
  void validateReconnect();

  /** An aggregation asked of MX, within its rules; one under way answers it. */
  @UpdateMethod
  ConnectionView refresh();

  @UpdateValidatorMethod(updateName = "refresh")
  void validateRefresh();

  /** Deletes the member at MX and ends the connection. */
  @UpdateMethod
  ConnectionView disconnect();

  @UpdateValidatorMethod(updateName = "disconnect")
  void validateDisconnect();
}
