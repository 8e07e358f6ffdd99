package io.memberflow.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.activities.alerts.AlertmanagerAlerter;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.platform.PlatformMxGateway;
import io.memberflow.activities.mx.platform.PlatformSettings;
import io.memberflow.activities.webhooks.StandardWebhookNotifier;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ConnectionWorkflow;
import io.memberflow.workflows.connection.ConnectionWorkflowImpl;
import io.memberflow.workflows.connection.FailureReason;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real workflow with the real MX client against the sandbox over HTTP: MX's transient errors
 * are retried by Temporal until the connection gets through; its refusals are not retried.
 */
class ConnectionAgainstSandboxTest {

  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    env.close();
    sandbox.close();
  }

  private ConnectionWorkflow start(String apiKey, String memberId) {
    HttpClient http = HttpClient.newHttpClient();
    Worker worker = env.newWorker(ConnectionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ConnectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new PlatformMxGateway(
            new PlatformSettings(URI.create(sandbox.baseUrl()), SandboxConfig.DEFAULT_CLIENT_ID, apiKey),
            new MxHttp("platform", http, Duration.ofSeconds(5), registry)),
        new StandardWebhookNotifier(List.of(), http, Duration.ofSeconds(5), Clock.systemUTC(), registry),
        new AlertmanagerAlerter(null, http, Duration.ofSeconds(5), Duration.ofHours(1), registry));
    env.start();
    ConnectionWorkflow connection =
        env.getWorkflowClient()
            .newWorkflowStub(
                ConnectionWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                    .setWorkflowId(ConnectionWorkflow.workflowId(memberId))
                    .build());
    WorkflowClient.start(
        connection::connect,
        new ConnectionRequest(memberId, "user-" + memberId, memberId, "mx_bank_oauth",
            OAuthWindowOptions.browser(), OutcomePolicy.defaults()));
    return connection;
  }

  @Test
  void transientMxErrorsAreRetriedUntilTheWindowIsOut() {
    sandbox.setFaults(new Faults(1.0, List.of(503, 429, 500), Duration.ZERO));
    ConnectionWorkflow connection = start(SandboxConfig.DEFAULT_API_KEY, "flaky");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.exchanges().size() >= 3);
    sandbox.setFaults(Faults.NONE);

    ConnectionView view = connection.awaitFirstWindow();

    assertThat(view.state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    assertThat(view.oauthWindowUri()).startsWith(sandbox.baseUrl());
    assertThat(sandbox.exchanges())
        .extracting(MxSandbox.Exchange::status)
        .startsWith(503, 429, 500)
        .contains(200, 202);
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.method().equals("POST") && e.path().endsWith("/members") && e.status() == 202)
        .hasSize(1);
  }

  @Test
  void refusalsAreNotRetried() {
    ConnectionView view = start("wrong-api-key", "refused").awaitFirstWindow();

    assertThat(view.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(view.failureReason()).isEqualTo(FailureReason.MX_REJECTED);
    assertThat(view.failureDetail()).contains("MX answered 401 to create_user");
    assertThat(sandbox.exchanges()).hasSize(1);
  }
}
