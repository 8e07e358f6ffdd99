package io.memberflow.activities.mx;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.activities.MxClients;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nexus sessions: expiry in the middle of a connection, and one shared session under load. */
class NexusSessionTest {

  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private List<MxSandbox.Exchange> sessionsOpened() {
    return sandbox.exchanges().stream().filter(e -> e.path().equals("/nexus/sessions")).toList();
  }

  private List<MxSandbox.Exchange> expiredAnswers() {
    return sandbox.exchanges().stream()
        .filter(e -> e.status() == 401 && e.responseBody().contains("4011"))
        .toList();
  }

  @Test
  void aSessionThatExpiresMidConnectionIsRenewedOnceAndTheConnectionGoesOn() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      MxClients.startWorker(env, MxClients.router(sandbox, registry), registry);
      ConnectionWorkflow connection =
          env.getWorkflowClient()
              .newWorkflowStub(
                  ConnectionWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                      .setWorkflowId("connection-nexus-expiry")
                      .build());
      WorkflowClient.start(
          connection::connect,
          new ConnectionRequest(
              "nexus-expiry",
              "u",
              "nexus-expiry",
              "mx_bank_oauth",
              OAuthWindowOptions.browser(),
              OutcomePolicy.defaults(),
              MxApi.NEXUS,
              "mx_bank_oauth",
              null,
              true),
          null);
      ConnectionView first = connection.awaitFirstWindow();
      assertThat(sessionsOpened()).hasSize(1);

      sandbox.clock().advance(Duration.ofMinutes(31));
      ConnectionView second =
          connection.relayOAuthMessage(
              OAuthMessage.error(first.memberGuid(), ErrorReason.CANCELLED));

      assertThat(second.state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
      assertThat(second.oauthWindowUri()).isNotEqualTo(first.oauthWindowUri());
      assertThat(expiredAnswers()).hasSize(1);
      assertThat(sessionsOpened()).hasSize(2);
      MxClients.completeInTheWindow(sandbox, second.oauthWindowUri(), "success");
      assertThat(connection.relayOAuthMessage(OAuthMessage.success(first.memberGuid())).state())
          .isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void manyCallsMeetingAnExpiredSessionOpenOneNewSession() throws Exception {
    MxClient nexus = MxClients.nexus(sandbox, registry);
    MxUser user = nexus.ensureUser("busy-user");
    MxMember member =
        nexus.createOAuthMember(
            new NewOAuthMember(
                user.guid(), "busy-member", "mx_bank_oauth", OAuthWindowOptions.browser()));
    sandbox.clock().advance(Duration.ofMinutes(31));

    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(() -> nexus.readMemberStatus(user.guid(), member.guid()).connectionStatus());
      }
      for (Future<String> status : pool.invokeAll(calls)) {
        assertThat(status.get()).isEqualTo("PENDING");
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sessionsOpened()).as("the first session and one renewal").hasSize(2);
    assertThat(expiredAnswers()).isNotEmpty();
  }

  @Test
  void tokensNeverReachTheLogsOrTheSettingsText() {
    NexusEndpoint settings =
        new NexusEndpoint(java.net.URI.create(sandbox.nexusBaseUrl()), "secret-token");
    assertThat(settings.toString()).doesNotContain("secret-token");
  }
}
