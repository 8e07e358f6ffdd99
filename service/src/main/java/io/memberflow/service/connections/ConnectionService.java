package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionSearchAttributes;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ConnectionWorkflow;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.Rejections;
import io.memberflow.service.metrics.MetricsProperties;
import io.memberflow.service.security.AppRedirects;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.ReferralSource;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.client.WorkflowUpdateTimeoutOrCancelledException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Connections as the API sees them, on top of their workflows. */
@Service
public class ConnectionService {

  /** How long a call waits for the workflow to act on an update before answering as it is. */
  private final Duration updateWait;
  private final WorkflowClient client;
  private final PolicyProperties policy;
  private final MxProperties mx;
  private final MetricsProperties metrics;
  private final AppRedirects redirects;

  public ConnectionService(
      WorkflowClient client,
      PolicyProperties policy,
      MxProperties mx,
      MetricsProperties metrics,
      AppRedirects redirects,
      @Value("${memberflow.api.update-wait:10s}") Duration updateWait) {
    this.client = client;
    this.policy = policy;
    this.mx = mx;
    this.metrics = metrics;
    this.redirects = redirects;
    this.updateWait = updateWait;
  }

  /** The connection, and whether this call created it (false: it was already running). */
  public record Start(ConnectionView view, boolean created) {}

  public Start start(StartConnectionRequest request) {
    MxApi api = mxApi(request.mxApi());
    OAuthWindowOptions options = windowOptions(request);
    String workflowId = ConnectionWorkflow.workflowId(request.memberId());
    boolean running = isRunning(workflowId);
    ConnectionRequest input =
        new ConnectionRequest(
            request.memberId(),
            request.userId(),
            request.memberId(),
            request.institutionCode(),
            options,
            policy.toPolicy(),
            api,
            metrics.institutionLabel(request.institutionCode()));
    ConnectionWorkflow workflow =
        client.newWorkflowStub(
            ConnectionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setTypedSearchAttributes(ConnectionSearchAttributes.atStart(input))
                .build());
    WorkflowClient.start(workflow::connect, input);
    ConnectionView view =
        update(request.memberId(), started -> WorkflowClient.startUpdate(started::awaitFirstWindow, WAIT_FOR_ACCEPTED));
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
    try {
      return update(
          connectionId, workflow -> WorkflowClient.startUpdate(workflow::relayOAuthMessage, message, WAIT_FOR_ACCEPTED));
    } catch (ConnectionEnded e) {
      // MX's webhook may have connected it, and the connection ended, before the browser relayed.
      ConnectionView ended = e.connection;
      if (message.succeeded()
          && ended.state() == ConnectionState.CONNECTED
          && message.memberGuid().equals(ended.memberGuid())) {
        return ended;
      }
      throw e;
    }
  }

  public ConnectionView retry(String connectionId) {
    return update(connectionId, workflow -> WorkflowClient.startUpdate(workflow::retry, WAIT_FOR_ACCEPTED));
  }

  public ConnectionView resume(String connectionId) {
    return update(connectionId, workflow -> WorkflowClient.startUpdate(workflow::resume, WAIT_FOR_ACCEPTED));
  }

  public ConnectionView cancel(String connectionId) {
    return update(connectionId, workflow -> WorkflowClient.startUpdate(workflow::cancel, WAIT_FOR_ACCEPTED));
  }

  /** Updates return as soon as the workflow took them; their result is awaited separately. */
  private static final UpdateOptions<ConnectionView> WAIT_FOR_ACCEPTED =
      UpdateOptions.<ConnectionView>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build();

  /**
   * Sends an update and returns the connection once the workflow has acted on it, or as it is
   * when that takes longer than the wait (MX slow to hand out the next window): the update goes on
   * in the workflow either way, and a later read shows its result.
   */
  private ConnectionView update(
      String connectionId, Function<ConnectionWorkflow, WorkflowUpdateHandle<ConnectionView>> send) {
    try {
      return send.apply(stub(connectionId)).getResult(updateWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (WorkflowUpdateException e) {
      throw rejection(e);
    } catch (WorkflowUpdateTimeoutOrCancelledException e) {
      return view(connectionId);
    } catch (CompletionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return view(connectionId);
      }
      throw e;
    } catch (WorkflowNotFoundException e) {
      // No running workflow: either it never existed (the read says so), or it has ended.
      throw new ConnectionEnded(view(connectionId));
    }
  }

  /** An update for a connection whose workflow has ended: 409, with the state it ended in. */
  static final class ConnectionEnded extends ApiException {
    private final transient ConnectionView connection;

    ConnectionEnded(ConnectionView connection) {
      super(HttpStatus.CONFLICT, "Connection ended", "the connection has ended: it is " + connection.state());
      this.connection = connection;
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

  /** The API the request names, or the deployment's default; it must be configured here. */
  private MxApi mxApi(String requested) {
    if (requested == null) {
      return mx.defaultApi();
    }
    MxApi api =
        MxApi.named(requested)
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.BAD_REQUEST,
                        "Invalid request",
                        "mx_api must be one of platform, atrium, nexus, not " + requested));
    if (!mx.configured().contains(api)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "MX API not configured",
          "mx_api " + api.wireName() + " is not configured on this deployment; it has "
              + mx.configured().stream().map(MxApi::wireName).sorted().toList());
    }
    return api;
  }

  /**
   * A browser flow never says APP and takes no redirect. An APP flow names the app's URL scheme;
   * MX sends the user back to memberflow ({@link AppRedirectController}), which records the outcome
   * and sends the user on to the app.
   */
  private OAuthWindowOptions windowOptions(StartConnectionRequest request) {
    ReferralSource source = Objects.requireNonNullElse(request.referralSource(), ReferralSource.BROWSER);
    if (request.clientRedirectUrl() != null) {
      throw invalid("client_redirect_url is memberflow's own (it turns MX's redirect into the"
          + " outcome); name the app with ui_message_webview_url_scheme instead");
    }
    if (source == ReferralSource.BROWSER) {
      if (request.uiMessageWebviewUrlScheme() != null) {
        throw invalid("ui_message_webview_url_scheme applies only to referral_source APP");
      }
      return new OAuthWindowOptions(source, request.skipAggregation(), null, null, request.enableApp2app());
    }
    if (request.uiMessageWebviewUrlScheme() == null) {
      throw invalid("referral_source APP needs ui_message_webview_url_scheme: the app to return to");
    }
    if (WEB_SCHEMES.contains(request.uiMessageWebviewUrlScheme().toLowerCase(java.util.Locale.ROOT))) {
      throw invalid("ui_message_webview_url_scheme must be the app's own scheme, not "
          + request.uiMessageWebviewUrlScheme());
    }
    if (!redirects.available()) {
      throw invalid("APP flows need memberflow.frontend.public-base-url, where MX sends the user back");
    }
    return new OAuthWindowOptions(
        source,
        request.skipAggregation(),
        redirects.url(request.memberId()),
        request.uiMessageWebviewUrlScheme(),
        request.enableApp2app());
  }

  /** Schemes that would send the user to a web page or run script instead of opening the app. */
  private static final java.util.Set<String> WEB_SCHEMES =
      java.util.Set.of("http", "https", "javascript", "data", "file", "vbscript", "blob", "about");

  private static ApiException invalid(String why) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", why);
  }

}
