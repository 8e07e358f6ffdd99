package io.memberflow.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.activities.mx.MxGatewayRouter;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MemberTimings;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.AggregationState;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.FailureReason;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMemberNews;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real workflow with the real MX clients against the sandbox over HTTP, branch by branch, for
 * each of the three MX APIs: the workflow cannot tell them apart.
 */
class ConnectionAgainstSandboxTest {

  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MxGatewayRouter mx = MxClients.router(sandbox, registry);

  @AfterEach
  void stop() {
    env.close();
    sandbox.close();
  }

  private ConnectionWorkflow start(MxApi api, String memberId, String institution) {
    if (!env.isStarted()) {
      MxClients.startWorker(env, mx, registry);
    }
    ConnectionWorkflow connection =
        env.getWorkflowClient()
            .newWorkflowStub(
                ConnectionWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(ConnectionWorkflow.TASK_QUEUE)
                    .setWorkflowId(ConnectionWorkflow.workflowId(memberId))
                    .setWorkflowIdConflictPolicy(
                        WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                    .build());
    WorkflowClient.start(
        connection::connect,
        new ConnectionRequest(
            memberId,
            "user-" + memberId,
            memberId,
            institution,
            OAuthWindowOptions.browser(),
            OutcomePolicy.defaults(),
            api,
            institution,
            null,
            true),
        null);
    return connection;
  }

  private ConnectionWorkflow start(MxApi api, String memberId) {
    return start(api, memberId, "mx_bank_oauth");
  }

  private static ConnectionView result(ConnectionWorkflow connection) {
    return WorkflowStub.fromTyped(connection).getResult(ConnectionView.class);
  }

  private void completeInTheWindow(String oauthWindowUri, String outcome) throws Exception {
    MxClients.completeInTheWindow(sandbox, oauthWindowUri, outcome);
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void successConnects(MxApi api) throws Exception {
    ConnectionWorkflow connection = start(api, "success-" + api);
    ConnectionView first = connection.awaitFirstWindow();
    assertThat(first.state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    assertThat(first.oauthWindowUri())
        .startsWith(sandbox.baseUrl() + "/oauth/predirect_to/" + first.memberGuid());
    completeInTheWindow(first.oauthWindowUri(), "success");

    assertThat(connection.relayOAuthMessage(OAuthMessage.success(first.memberGuid())).state())
        .isEqualTo(ConnectionState.CONNECTED);
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void aRelayedSuccessWithoutAnOAuthDoesNotConnect(MxApi api) {
    ConnectionWorkflow connection = start(api, "forged-" + api);
    ConnectionView first = connection.awaitFirstWindow();

    ConnectionView answer = connection.relayOAuthMessage(OAuthMessage.success(first.memberGuid()));

    assertThat(answer.state()).isEqualTo(ConnectionState.CONFIRMING);
    env.sleep(OutcomePolicy.DEFAULT_CONFIRM_WINDOW.plusSeconds(30));
    ConnectionView after = connection.view();
    assertThat(after.state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(mx.readMemberStatus(first.userGuid(), first.memberGuid(), api).connectionStatus())
        .isEqualTo("PENDING");
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void cancelledGetsAFreshWindowAndImpededResumes(MxApi api) {
    ConnectionWorkflow connection = start(api, "retry-" + api);
    ConnectionView first = connection.awaitFirstWindow();

    ConnectionView second =
        connection.relayOAuthMessage(OAuthMessage.error(first.memberGuid(), ErrorReason.CANCELLED));
    assertThat(second.oauthWindowUri()).isNotEqualTo(first.oauthWindowUri());
    assertThat(
            connection
                .relayOAuthMessage(OAuthMessage.error(first.memberGuid(), ErrorReason.IMPEDED))
                .state())
        .isEqualTo(ConnectionState.ACTION_REQUIRED);
    ConnectionView resumed = connection.resume();
    assertThat(resumed.attempt()).isEqualTo(3);
    assertThat(resumed.oauthWindowUri()).isNotIn(first.oauthWindowUri(), second.oauthWindowUri());
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void providerErrorsWaitForARetry(MxApi api) {
    ConnectionWorkflow connection = start(api, "provider-" + api);
    String guid = connection.awaitFirstWindow().memberGuid();

    assertThat(
            connection
                .relayOAuthMessage(OAuthMessage.error(guid, ErrorReason.PROVIDER_ERROR))
                .state())
        .isEqualTo(ConnectionState.PROVIDER_UNAVAILABLE);
    assertThat(connection.retry().state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(
                        registry
                            .get("memberflow.operator.alerts")
                            .tag("error_reason", "PROVIDER_ERROR")
                            .counter()
                            .count())
                    .isEqualTo(1));
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void aLostMessageIsRecoveredFromMxsMemberStatus(MxApi api) throws Exception {
    ConnectionWorkflow connection = start(api, "lost-" + api);
    completeInTheWindow(connection.awaitFirstWindow().oauthWindowUri(), "success");

    env.sleep(OutcomePolicy.DEFAULT_OAUTH_TIMEOUT.plusMinutes(1));

    assertThat(connection.view().state()).isEqualTo(ConnectionState.CONNECTED);
  }

  /** A member connected through its window, MX's first aggregation done. */
  private ConnectionWorkflow connectedWithData(MxApi api, String memberId) throws Exception {
    // MX aggregates at once, so that skipped time never outruns it.
    sandbox.setMemberTimings(new MemberTimings(Duration.ZERO, Duration.ZERO, 0));
    ConnectionWorkflow connection = start(api, memberId);
    ConnectionView first = connection.awaitFirstWindow();
    completeInTheWindow(first.oauthWindowUri(), "success");
    connection.relayOAuthMessage(OAuthMessage.success(first.memberGuid()));
    Awaitility.await().until(() -> connection.view().aggregation() == AggregationState.DATA_READY);
    return connection;
  }

  /** MX changed the member and sent its webhook (the service routes it as this signal). */
  private void mxReports(ConnectionWorkflow connection, String status) {
    String guid = connection.view().memberGuid();
    assertThat(sandbox.changeConnectionStatus(guid, status))
        .isEqualTo(MxSandbox.StatusChange.CHANGED);
    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    Awaitility.await().until(() -> status.equals(connection.view().mxStatus()));
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void aRevokedTokenIsRepairedOnTheSameMemberWhichIsThenDisconnected(MxApi api) throws Exception {
    ConnectionWorkflow connection = connectedWithData(api, "life-" + api);
    ConnectionView first = connection.view();
    String firstSuccess = connection.view().successfullyAggregatedAt();

    mxReports(connection, "DENIED");
    assertThat(connection.view().state()).isEqualTo(ConnectionState.REAUTH_REQUIRED);

    ConnectionView reconnecting = connection.reconnect();
    assertThat(reconnecting.memberGuid()).isEqualTo(first.memberGuid());
    completeInTheWindow(reconnecting.oauthWindowUri(), "success");
    connection.relayOAuthMessage(OAuthMessage.success(first.memberGuid()));
    Awaitility.await()
        .untilAsserted(
            () -> {
              ConnectionView repaired = connection.view();
              assertThat(repaired.state()).isEqualTo(ConnectionState.CONNECTED);
              assertThat(repaired.aggregation()).isEqualTo(AggregationState.DATA_READY);
              assertThat(repaired.successfullyAggregatedAt()).isNotEqualTo(firstSuccess);
            });

    assertThat(connection.disconnect().state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThatThrownBy(() -> mx.readMemberStatus(first.userGuid(), first.memberGuid(), api))
        .as("MX no longer knows the member")
        .isInstanceOf(ApplicationFailure.class);
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void aRepairMxEndsOnANewMemberIsFollowedThere(MxApi api) throws Exception {
    ConnectionWorkflow connection = connectedWithData(api, "inbound-" + api);
    ConnectionView first = connection.view();
    mxReports(connection, "DENIED");

    String page =
        MxClients.completeInTheWindow(
            sandbox, connection.reconnect().oauthWindowUri(), "success&on_new_member=true");
    Matcher posted = Pattern.compile("\"member_guid\":\"([^\"]+)\"").matcher(page);
    assertThat(posted.find()).isTrue();
    String inbound = posted.group(1);
    assertThat(inbound).isNotEqualTo(first.memberGuid());
    connection.relayOAuthMessage(OAuthMessage.success(inbound));

    Awaitility.await()
        .untilAsserted(
            () -> {
              ConnectionView moved = connection.view();
              assertThat(moved.state()).isEqualTo(ConnectionState.CONNECTED);
              assertThat(moved.memberGuid()).isEqualTo(inbound);
              assertThat(moved.formerMemberGuids()).containsExactly(first.memberGuid());
              assertThat(moved.aggregation()).isEqualTo(AggregationState.DATA_READY);
            });
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void institutionsWithoutOAuthFailAtOnce(MxApi api) {
    ConnectionView view = start(api, "no-oauth-" + api, "mxbank").awaitFirstWindow();

    assertThat(view.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(view.failureReason()).isEqualTo(FailureReason.OAUTH_NOT_SUPPORTED);
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void aMemberThatExistsAtMxIsReadNotCreatedAgain(MxApi api) {
    ConnectionWorkflow first = start(api, "again-" + api);
    String guid = first.awaitFirstWindow().memberGuid();
    first.cancel();
    result(first);

    ConnectionView second = start(api, "again-" + api).awaitFirstWindow();

    assertThat(second.memberGuid()).isEqualTo(guid);
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.method().equals("POST") && e.path().endsWith("/members"))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(202, 409);
  }

  @Test
  void transientMxErrorsAreRetriedUntilTheWindowIsOut() {
    sandbox.setFaults(new Faults(1.0, List.of(503, 429, 500), Duration.ZERO));
    ConnectionWorkflow connection = start(MxApi.PLATFORM, "flaky");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.exchanges().size() >= 3);
    sandbox.setFaults(Faults.NONE);

    ConnectionView view = connection.awaitFirstWindow();

    assertThat(view.state()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    assertThat(sandbox.exchanges())
        .extracting(MxSandbox.Exchange::status)
        .startsWith(503, 429, 500)
        .contains(200, 202);
    assertThat(sandbox.exchanges())
        .filteredOn(
            e -> e.method().equals("POST") && e.path().endsWith("/members") && e.status() == 202)
        .hasSize(1);
  }

  @Test
  void anApiWithoutCredentialsFailsTheConnectionWithTheReason() {
    mx =
        new MxGatewayRouter(
            java.util.Map.of(MxApi.PLATFORM, MxClients.platform(sandbox, registry)));

    ConnectionView view = start(MxApi.ATRIUM, "unconfigured").awaitFirstWindow();

    assertThat(view.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(view.failureReason()).isEqualTo(FailureReason.MX_REJECTED);
    assertThat(view.failureDetail()).contains("no credentials for the ATRIUM API");
  }
}
