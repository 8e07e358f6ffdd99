package io.memberflow.workflows.connection.temporal;

import static io.memberflow.workflows.connection.ConnectionState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.workflows.connection.AggregationState;
import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.NotificationType;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.Refusal;
import io.memberflow.workflows.connection.Transition;
import io.memberflow.workflows.mx.MxMemberNews;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connected member's life, with time skipping: health from MX, repairs, refresh, disconnect. */
class MemberLifeWorkflowTest {

  private final WorkflowHarness harness = new WorkflowHarness();

  @AfterEach
  void stop() {
    harness.close();
  }

  /** A member connected through its OAuth, its first aggregation done. */
  private ConnectionWorkflow connected(String memberId) {
    ConnectionWorkflow connection = harness.start(WorkflowHarness.request(memberId));
    String guid = connection.awaitFirstWindow().memberGuid();
    harness.mx.completeOAuth(guid);
    connection.relayOAuthMessage(OAuthMessage.success(guid));
    ConnectionView settled = harness.result(connection);
    assertThat(settled.state()).isEqualTo(CONNECTED);
    assertThat(settled.aggregation()).isEqualTo(AggregationState.DATA_READY);
    return connection;
  }

  /** MX changes the member's status and sends its webhook, as a revoked token would. */
  private void mxReports(ConnectionWorkflow connection, String status) {
    String guid = connection.view().memberGuid();
    harness.mx.statuses.put(guid, status);
    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status.equals(harness.lastView(connection).mxStatus()));
  }

  /** Once its webhooks are out: the integrator heard it connect, its data ready, then these. */
  private void assertToldAfterConnecting(ConnectionWorkflow connection, NotificationType... then) {
    harness.awaitDeliveries(connection);
    List<NotificationType> told = new ArrayList<>();
    told.add(NotificationType.CONNECTED);
    told.add(NotificationType.DATA_READY);
    told.addAll(List.of(then));
    assertThat(harness.notifier.deliveredTypes()).containsExactlyElementsOf(told);
  }

  @Test
  void aConnectedMemberStaysAndIsReadDaily() throws Exception {
    ConnectionWorkflow connection = connected("m-daily");
    harness.mx.aggregatesInBackground = true;
    int reads = harness.mx.statusReads.size();

    harness.env.sleep(Duration.ofDays(3).plusHours(1));

    assertThat(harness.mx.statusReads).hasSize(reads + 3);
    assertThat(connection.view().state()).isEqualTo(CONNECTED);
    assertThat(harness.status(WorkflowHarness.workflowIdOf(connection)))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertToldAfterConnecting(connection);
    harness.replayAndMaybeRecord(connection, "life-daily-reads");
  }

  @Test
  void ninetyDaysOfLifeKeepEachRunShortAndLoseNothing() {
    ConnectionWorkflow connection = connected("m-ninety");
    harness.mx.aggregatesInBackground = true;
    List<Transition> before = connection.view().transitions();

    harness.env.sleep(Duration.ofDays(90));

    List<Integer> eventsPerRun = harness.eventsPerRun(WorkflowHarness.workflowIdOf(connection));
    System.out.println("events per run over 90 days: " + eventsPerRun);
    assertThat(eventsPerRun.size()).as("runs").isGreaterThan(1);
    assertThat(eventsPerRun)
        .allSatisfy(
            events -> assertThat(events).isLessThan(ConnectionWorkflowImpl.EVENTS_PER_RUN + 20));
    ConnectionView after = connection.view();
    assertThat(after.state()).isEqualTo(CONNECTED);
    assertThat(after.transitions()).isEqualTo(before);
    assertThat(after.memberGuid()).isEqualTo("MBR-m-ninety");
    assertThat(harness.mx.statusReads.size()).isBetween(90, 93);
    assertToldAfterConnecting(connection);
  }

  @Test
  void aRevokedTokenAsksForReauthAndAReconnectRepairsTheSameMember() throws Exception {
    ConnectionWorkflow connection = connected("m-revoked");
    String guid = connection.view().memberGuid();

    mxReports(connection, "DENIED");
    harness.awaitDeliveries(connection);
    ConnectionView needsUser = connection.view();
    assertThat(needsUser.state()).isEqualTo(REAUTH_REQUIRED);
    assertThat(needsUser.mxStatus()).isEqualTo("DENIED");
    ConnectionNotification told = harness.notifier.delivered.get(2);
    assertThat(told.type()).isEqualTo(NotificationType.REAUTH_REQUIRED);
    assertThat(told.mxConnectionStatus()).isEqualTo("DENIED");

    ConnectionView reconnecting = connection.reconnect();
    assertThat(reconnecting.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(reconnecting.repairing()).isTrue();
    assertThat(reconnecting.attempt()).isEqualTo(1);
    assertThat(reconnecting.oauthWindowUri()).isNotBlank();
    assertThat(harness.mx.windowRequests.get(harness.mx.windowRequests.size() - 1).memberGuid())
        .isEqualTo(guid);
    assertThat(harness.mx.memberCreations).hasSize(1);

    harness.mx.completeOAuth(guid);
    connection.relayOAuthMessage(OAuthMessage.success(guid));
    ConnectionView repaired = harness.result(connection);

    assertThat(repaired.state()).isEqualTo(CONNECTED);
    assertThat(repaired.memberGuid()).isEqualTo(guid);
    assertThat(repaired.aggregation()).isEqualTo(AggregationState.DATA_READY);
    assertThat(repaired.transitions())
        .extracting(Transition::to)
        .containsExactly(
            AWAITING_OAUTH,
            CONFIRMING,
            CONNECTED,
            REAUTH_REQUIRED,
            AWAITING_OAUTH,
            CONFIRMING,
            CONNECTED);
    assertToldAfterConnecting(
        connection,
        NotificationType.REAUTH_REQUIRED,
        NotificationType.REPAIRED,
        NotificationType.DATA_READY);
    // The repair's history is not carried along: the next run starts with it behind it.
    assertThat(harness.eventsPerRun(WorkflowHarness.workflowIdOf(connection))).hasSize(2);
    assertThat(connection.view().transitions()).isEqualTo(repaired.transitions());
    harness.replayAndMaybeRecord(connection, "life-reauth-repaired");
  }

  @Test
  void aRepairThatMxEndsOnAnotherMemberIsFollowedThere() throws Exception {
    ConnectionWorkflow connection = connected("m-new-guid");
    String old = connection.view().memberGuid();
    mxReports(connection, "DENIED");
    connection.reconnect();

    // MX ends the OAuth on a new member of the same user, and says so in its message.
    String inbound = harness.mx.completeOAuthOnNewMember(old);
    connection.relayOAuthMessage(OAuthMessage.success(inbound));
    ConnectionView moved = harness.result(connection);

    assertThat(moved.state()).isEqualTo(CONNECTED);
    assertThat(moved.connectionId()).isEqualTo("m-new-guid");
    assertThat(moved.memberGuid()).isEqualTo(inbound);
    assertThat(moved.formerMemberGuids()).containsExactly(old);
    assertThat(moved.aggregation()).isEqualTo(AggregationState.DATA_READY);
    assertToldAfterConnecting(
        connection,
        NotificationType.REAUTH_REQUIRED,
        NotificationType.REPAIRED,
        NotificationType.DATA_READY);
    assertThat(harness.notifier.delivered.get(3).memberGuid()).isEqualTo(inbound);
    // MX's news of the new member reaches the connection.
    mxReports(connection, "EXPIRED");
    assertThat(connection.view().state()).isEqualTo(REAUTH_REQUIRED);
    harness.replayAndMaybeRecord(connection, "life-repaired-on-another-member");
  }

  @Test
  void aRepairsSuccessNamingAnotherConnectionsMemberTakesNothingOver() {
    ConnectionWorkflow sibling = connected("m-sibling");
    ConnectionWorkflow connection = connected("m-victim");
    String old = connection.view().memberGuid();
    mxReports(connection, "DENIED");
    connection.reconnect();

    // The sibling's member is connected at MX under the same MX user, but is not this one's.
    ConnectionView answer =
        connection.relayOAuthMessage(OAuthMessage.success(sibling.view().memberGuid()));
    assertThat(answer.state()).isEqualTo(CONFIRMING);
    harness.env.sleep(OutcomePolicy.DEFAULT_CONFIRM_WINDOW.plusSeconds(30));

    ConnectionView after = connection.view();
    assertThat(after.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(after.memberGuid()).isEqualTo(old);
    assertThat(after.formerMemberGuids()).isEmpty();
  }

  @Test
  void aRepairsSuccessNamingAMemberMxDoesNotConfirmMovesNothing() {
    ConnectionWorkflow connection = connected("m-forged-guid");
    String old = connection.view().memberGuid();
    mxReports(connection, "DENIED");
    connection.reconnect();

    ConnectionView answer = connection.relayOAuthMessage(OAuthMessage.success("MBR-forged"));
    assertThat(answer.state()).isEqualTo(CONFIRMING);
    harness.env.sleep(OutcomePolicy.DEFAULT_CONFIRM_WINDOW.plusSeconds(30));

    ConnectionView after = connection.view();
    assertThat(after.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(after.memberGuid()).isEqualTo(old);
    assertThat(after.formerMemberGuids()).isEmpty();
  }

  @Test
  void aMemberHealthyAgainByItselfIsRepaired() throws Exception {
    ConnectionWorkflow connection = connected("m-itself");
    mxReports(connection, "EXPIRED");
    harness.awaitDeliveries(connection);
    assertThat(connection.view().state()).isEqualTo(REAUTH_REQUIRED);

    harness.mx.statuses.put(connection.view().memberGuid(), "CONNECTED");
    harness.env.sleep(Duration.ofDays(1).plusMinutes(1));

    assertThat(connection.view().state()).isEqualTo(CONNECTED);
    assertToldAfterConnecting(
        connection, NotificationType.REAUTH_REQUIRED, NotificationType.REPAIRED);
    harness.replayAndMaybeRecord(connection, "life-repaired-by-itself");
  }

  @Test
  void providerTroubleAlertsOperatorsAndPassesByItself() throws Exception {
    ConnectionWorkflow connection = connected("m-provider");
    mxReports(connection, "DEGRADED");
    harness.awaitDeliveries(connection);

    assertThat(connection.view().state()).isEqualTo(DEGRADED);
    assertThat(harness.notifier.alerts).hasSize(1);
    assertThat(harness.notifier.alerts.get(0).mxConnectionStatus()).isEqualTo("DEGRADED");
    assertThat(harness.notifier.alerts.get(0).institutionCode()).isEqualTo("mxbank");
    assertRejected(connection::reconnect, Refusal.CONFLICT, "the connection is DEGRADED");

    mxReports(connection, "CONNECTED");
    harness.awaitDeliveries(connection);
    assertThat(connection.view().state()).isEqualTo(CONNECTED);
    assertToldAfterConnecting(connection, NotificationType.DEGRADED, NotificationType.REPAIRED);
    harness.replayAndMaybeRecord(connection, "life-provider-trouble");
  }

  @Test
  void aClosedMemberEndsTheConnection() throws Exception {
    ConnectionWorkflow connection = connected("m-closed");
    mxReports(connection, "DISCONTINUED");

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CLOSED);
    assertThat(end.mxStatus()).isEqualTo("DISCONTINUED");
    assertToldAfterConnecting(connection, NotificationType.CLOSED);
    harness.replayAndMaybeRecord(connection, "life-closed");
  }

  @Test
  void staleDataIsToldOnce() throws Exception {
    ConnectionWorkflow connection = connected("m-stale");

    harness.env.sleep(Duration.ofDays(4));

    assertThat(connection.view().state()).isEqualTo(CONNECTED);
    assertToldAfterConnecting(connection, NotificationType.STALE);
    harness.replayAndMaybeRecord(connection, "life-stale");
  }

  @Test
  void twoReconnectsAtOnceMakeOneRepair() throws Exception {
    ConnectionWorkflow connection = connected("m-twice");
    mxReports(connection, "DENIED");
    harness.awaitDeliveries(connection);
    int windows = harness.mx.windowRequests.size();

    UpdateOptions<ConnectionView> accepted =
        UpdateOptions.<ConnectionView>newBuilder()
            .setWaitForStage(WorkflowUpdateStage.ACCEPTED)
            .build();
    var first = WorkflowClient.startUpdate(connection::reconnect, accepted);
    var second = WorkflowClient.startUpdate(connection::reconnect, accepted);

    assertThat(first.getResult().oauthWindowUri()).isNotBlank();
    assertThat(second.getResult().oauthWindowUri()).isEqualTo(first.getResult().oauthWindowUri());
    assertThat(harness.mx.windowRequests).hasSize(windows + 1);
  }

  @Test
  void aRepairThatTimesOutLeavesTheUserToActAgain() throws Exception {
    ConnectionWorkflow connection = connected("m-repair-timeout");
    mxReports(connection, "DENIED");
    harness.awaitDeliveries(connection);
    connection.reconnect();

    harness.env.sleep(OutcomePolicy.DEFAULT_OAUTH_TIMEOUT.plusMinutes(1));

    ConnectionView view = connection.view();
    assertThat(view.state()).isEqualTo(REAUTH_REQUIRED);
    assertThat(view.repairing()).isFalse();
    assertThat(view.failureDetail()).contains("no OAuth-complete message");
    assertToldAfterConnecting(
        connection, NotificationType.REAUTH_REQUIRED, NotificationType.REAUTH_REQUIRED);
    assertThat(connection.reconnect().oauthWindowUri()).isNotBlank();
  }

  @Test
  void aReconnectOfAHealthyMemberIsRefused() {
    ConnectionWorkflow connection = connected("m-healthy-reconnect");
    assertRejected(connection::reconnect, Refusal.CONFLICT, "REAUTH_REQUIRED");
  }

  @Test
  void aRefreshTooSoonSaysWhenAndALaterOneIsFollowedToDataReady() throws Exception {
    ConnectionWorkflow connection = connected("m-refresh");
    String lastSuccess = connection.view().successfullyAggregatedAt();
    Instant from = Instant.parse(lastSuccess).plus(Duration.ofHours(3));
    assertThat(connection.view().refreshAvailableAt()).isEqualTo(from);

    assertRejected(connection::refresh, Refusal.TOO_SOON, "too soon");
    assertThat(harness.mx.aggregations).isEmpty();

    harness.env.sleep(Duration.ofHours(3).plusMinutes(1));
    ConnectionView refreshing = connection.refresh();
    assertThat(refreshing.aggregation()).isEqualTo(AggregationState.AGGREGATING);
    assertThat(refreshing.refreshAvailableAt()).isNull();

    ConnectionView refreshed = harness.result(connection);
    assertThat(refreshed.aggregation()).isEqualTo(AggregationState.DATA_READY);
    assertThat(refreshed.successfullyAggregatedAt()).isNotEqualTo(lastSuccess);
    assertThat(harness.mx.aggregations).containsExactly(connection.view().memberGuid());
    assertToldAfterConnecting(connection, NotificationType.DATA_READY);
    harness.replayAndMaybeRecord(connection, "life-refresh");
  }

  @Test
  void aTokenRevokedDuringARefreshIsToldAsSoonAsTheAggregationFails() {
    ConnectionWorkflow connection = connected("m-refresh-revoked");
    harness.env.sleep(Duration.ofHours(4));
    harness.mx.aggregatingReads.set(2);
    connection.refresh();

    harness.mx.statuses.put(connection.view().memberGuid(), "DENIED");
    ConnectionView after = harness.result(connection);

    assertThat(after.aggregation()).isEqualTo(AggregationState.FAILED);
    assertThat(after.state()).isEqualTo(REAUTH_REQUIRED);
    harness.awaitDeliveries(connection);
    // Both go out in one reaction, each its own delivery: either may arrive first.
    assertThat(harness.notifier.deliveredTypes())
        .containsExactlyInAnyOrder(
            NotificationType.CONNECTED,
            NotificationType.DATA_READY,
            NotificationType.AGGREGATION_FAILED,
            NotificationType.REAUTH_REQUIRED);
  }

  @Test
  void aDisconnectDeletesTheMemberAndEndsTheConnection() throws Exception {
    ConnectionWorkflow connection = connected("m-disconnect");
    String guid = connection.view().memberGuid();
    // The disconnect's webhook fails at first: the workflow stays until it is out. Connected's and
    // data ready's must be out before, or the failure is theirs and their retry comes last.
    harness.awaitDeliveries(connection);
    harness.notifier.failuresToInject.set(1);

    ConnectionView ended = connection.disconnect();

    assertThat(ended.state()).isEqualTo(DISCONNECTED);
    assertThat(harness.mx.deletions).containsExactly(guid);
    assertThat(connection.disconnect().state())
        .as("a second disconnect, before the workflow has ended")
        .isEqualTo(DISCONNECTED);
    assertThat(harness.mx.deletions).containsExactly(guid);
    assertThat(harness.result(connection).state()).isEqualTo(DISCONNECTED);
    assertToldAfterConnecting(connection, NotificationType.DISCONNECTED);
    harness.replayAndMaybeRecord(connection, "life-disconnect");
  }

  @Test
  void aConnectionBeingMadeCanBeDisconnectedToo() throws Exception {
    ConnectionWorkflow connection = harness.start(WorkflowHarness.request("m-early-disconnect"));
    String guid = connection.awaitFirstWindow().memberGuid();

    ConnectionView ended = connection.disconnect();

    assertThat(ended.state()).isEqualTo(DISCONNECTED);
    assertThat(ended.oauthWindowUri()).isNull();
    assertThat(harness.mx.deletions).containsExactly(guid);
    harness.replayAndMaybeRecord(connection, "disconnect-while-connecting");
  }

  private static void assertRejected(Runnable call, String type, String reason) {
    assertThatThrownBy(call::run)
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(type);
              assertThat(failure.getOriginalMessage()).contains(reason);
            });
  }
}
