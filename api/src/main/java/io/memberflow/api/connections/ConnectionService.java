package io.memberflow.api.connections;

import io.memberflow.api.errors.ApiException;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ConnectionWorkflow;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.Rejections;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.ReferralSource;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Connections as the API sees them, on top of their workflows. */
@Service
public class ConnectionService {

  /** A start whose first window is not out by then answers with the STARTING connection. */
  private final Duration firstWindowWait;
  private final WorkflowClient client;
  private final PolicyProperties policy;

  public ConnectionService(
      WorkflowClient client,
      PolicyProperties policy,
      @Value("${memberflow.api.first-window-wait:10s}") Duration firstWindowWait) {
    this.client = client;
    this.policy = policy;
    this.firstWindowWait = firstWindowWait;
  }

  /** The connection, and whether this call created it (false: it was already running). */
  public record Start(ConnectionView view, boolean created) {}

  public Start start(StartConnectionRequest request) {
    OAuthWindowOptions options = windowOptions(request);
    String workflowId = ConnectionWorkflow.workflowId(request.memberId());
    boolean running = isRunning(workflowId);
    ConnectionWorkflow workflow =
        client.newWorkflowStub(
            ConnectionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
    WorkflowClient.start(
        workflow::connect,
        new ConnectionRequest(
            request.memberId(),
            request.userId(),
            request.memberId(),
            request.institutionCode(),
            options,
            policy.toPolicy()));
    ConnectionView view = awaitFirstWindow(workflowId);
    if (!view.userId().equals(request.userId())
        || !view.institutionCode().equals(request.institutionCode())) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "Connection exists",
          "connection " + request.memberId() + " is already running for user " + view.userId()
              + " at " + view.institutionCode());
    }
    return new Start(view, !running);
  }

  public ConnectionView view(String connectionId) {
    try {
      return stub(connectionId).view();
    } catch (WorkflowNotFoundException e) {
      throw notFound(connectionId);
    }
  }

  public ConnectionView relay(String connectionId, OAuthMessage message) {
    return update(connectionId, c -> c.relayOAuthMessage(message));
  }

  public ConnectionView retry(String connectionId) {
    return update(connectionId, ConnectionWorkflow::retry);
  }

  public ConnectionView resume(String connectionId) {
    return update(connectionId, ConnectionWorkflow::resume);
  }

  public ConnectionView cancel(String connectionId) {
    return update(connectionId, ConnectionWorkflow::cancel);
  }

  private ConnectionView update(String connectionId, Function<ConnectionWorkflow, ConnectionView> call) {
    try {
      return call.apply(stub(connectionId));
    } catch (WorkflowUpdateException e) {
      throw rejection(e);
    } catch (WorkflowNotFoundException e) {
      // No running workflow: either it never existed, or it has ended and cannot take updates.
      ConnectionView ended = view(connectionId);
      throw new ApiException(
          HttpStatus.CONFLICT,
          "Connection ended",
          "the connection has ended: it is " + ended.state());
    }
  }

  private ConnectionView awaitFirstWindow(String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    try {
      return stub.startUpdate(
              UpdateOptions.newBuilder(ConnectionView.class)
                  .setUpdateName("awaitFirstWindow")
                  .setWaitForStage(WorkflowUpdateStage.ACCEPTED)
                  .build())
          .getResultAsync(firstWindowWait.toMillis(), TimeUnit.MILLISECONDS)
          .get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return stub.query("view", ConnectionView.class);
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (WorkflowNotFoundException e) {
      // It ended between start and this call (MX refused the member at once): show how.
      return stub.query("view", ConnectionView.class);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", "the request was interrupted");
    }
  }

  private boolean isRunning(String workflowId) {
    try {
      return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  private ConnectionWorkflow stub(String connectionId) {
    return client.newWorkflowStub(
        ConnectionWorkflow.class, ConnectionWorkflow.workflowId(connectionId));
  }

  private static ApiException rejection(WorkflowUpdateException e) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      if (Rejections.INVALID.equals(failure.getType())) {
        return new ApiException(
            HttpStatus.UNPROCESSABLE_ENTITY, "Not for this connection", failure.getOriginalMessage());
      }
      if (Rejections.CONFLICT.equals(failure.getType())) {
        return new ApiException(
            HttpStatus.CONFLICT, "Not possible now", failure.getOriginalMessage());
      }
    }
    throw e;
  }

  private static ApiException notFound(String connectionId) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "No such connection", "no connection " + connectionId);
  }

  /** MX takes redirect URL and webview scheme only for APP; a browser flow never says APP. */
  private static OAuthWindowOptions windowOptions(StartConnectionRequest request) {
    ReferralSource source = Objects.requireNonNullElse(request.referralSource(), ReferralSource.BROWSER);
    if (source == ReferralSource.BROWSER
        && (request.clientRedirectUrl() != null || request.uiMessageWebviewUrlScheme() != null)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "client_redirect_url and ui_message_webview_url_scheme apply only to referral_source APP");
    }
    if (source == ReferralSource.APP && request.clientRedirectUrl() == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "referral_source APP needs client_redirect_url: where MX sends the user back");
    }
    return new OAuthWindowOptions(
        source,
        request.skipAggregation(),
        request.clientRedirectUrl(),
        request.uiMessageWebviewUrlScheme(),
        request.enableApp2app());
  }
}
