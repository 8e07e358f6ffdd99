package io.memberflow.workflows.connection.temporal;

import static io.memberflow.workflows.connection.ConnectionState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.workflows.connection.AggregationState;
import io.memberflow.workflows.connection.ConnectionEvent;
import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.FailureReason;
import io.memberflow.workflows.connection.NotificationType;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.connection.OutcomeAction;
import io.memberflow.workflows.connection.OutcomePolicy;
import io.memberflow.workflows.connection.Refusal;
import io.memberflow.workflows.connection.StartAnswer;
import io.memberflow.workflows.connection.Transition;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMemberNews;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.mx.ReferralSource;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every row of the branch table, on a time-skipping Temporal. */
class ConnectionWorkflowTest {

  private final WorkflowHarness harness = new WorkflowHarness();

  @AfterEach
  void stop() {
    harness.close();
  }

  private ConnectionWorkflow started(String memberId) {
    ConnectionWorkflow connection = harness.start(WorkflowHarness.request(memberId));
    ConnectionView view = connection.awaitFirstWindow();
    assertThat(view.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(view.oauthWindowUri()).isNotBlank();
    return connection;
  }

  /** The user completes the OAuth at MX, and the browser relays MX's success message. */
  private ConnectionView succeed(ConnectionWorkflow connection, String memberGuid) {
    harness.mx.completeOAuth(memberGuid);
    return connection.relayOAuthMessage(OAuthMessage.success(memberGuid));
  }

  private static OAuthMessage error(ConnectionView view, ErrorReason reason) {
    return OAuthMessage.error(view.memberGuid(), reason);
  }

  @Test
  void successConnectsAndNotifies() throws Exception {
    ConnectionWorkflow connection = started("m-success");
    ConnectionView first = connection.view();
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.memberGuid()).isEqualTo("MBR-m-success");

    ConnectionView after = succeed(connection, first.memberGuid());

    assertThat(after.state()).isEqualTo(CONNECTED);
    assertThat(after.oauthWindowUri()).isNull();
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
    assertThat(after.transitions())
        .extracting(Transition::to)
        .containsExactly(AWAITING_OAUTH, CONFIRMING, CONNECTED);
    // one read confirms the success, one more finds the first aggregation done
    assertThat(harness.mx.statusReads).containsExactly(first.memberGuid(), first.memberGuid());
    harness.replayAndMaybeRecord(connection, "success");
  }

  @Test
  void aForgedSuccessNeverConnects() throws Exception {
    ConnectionWorkflow connection = started("m-forged");
    ConnectionView view = connection.view();

    for (int attempt = 1; attempt <= OutcomePolicy.DEFAULT_MAX_ATTEMPTS; attempt++) {
      ConnectionView answer = connection.relayOAuthMessage(OAuthMessage.success(view.memberGuid()));
      assertThat(answer.state()).isEqualTo(CONFIRMING);
      assertThat(answer.oauthWindowUri()).isNull();
      harness.env.sleep(OutcomePolicy.DEFAULT_CONFIRM_WINDOW.plusSeconds(30));
      view = connection.view();
      if (attempt < OutcomePolicy.DEFAULT_MAX_ATTEMPTS) {
        assertThat(view.state()).as("after forged success %d", attempt).isEqualTo(AWAITING_OAUTH);
        assertThat(view.attempt()).isEqualTo(attempt + 1);
        assertThat(view.oauthWindowUri()).isNotBlank();
      }
    }

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(FAILED);
    assertThat(end.failureReason()).isEqualTo(FailureReason.ATTEMPTS_EXHAUSTED);
    assertThat(end.failureDetail()).contains("MX did not report the member connected");
    assertThat(end.transitions()).extracting(Transition::to).doesNotContain(CONNECTED);
    harness.assertDelivered(connection, NotificationType.FAILED);
    // Read with growing pauses, not once and not every second.
    assertThat(harness.mx.statusReads.size()).isBetween(5 * 8, 5 * 16);
    harness.replayAndMaybeRecord(connection, "forged-success");
  }

  @Test
  void mxLaggingBehindTheBrowserConfirmsLater() throws Exception {
    ConnectionWorkflow connection = started("m-lagging");
    harness.mx.lag.set(3);

    ConnectionView answer = succeed(connection, connection.view().memberGuid());

    assertThat(answer.state()).isEqualTo(CONFIRMING);
    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CONNECTED);
    assertThat(end.transitions())
        .extracting(Transition::event)
        .containsExactly(
            ConnectionEvent.MEMBER_READY,
            ConnectionEvent.OAUTH_REPORTED_SUCCESS,
            ConnectionEvent.MX_CONFIRMED);
    // four to confirm, the last finding MX aggregating; one more finds the data ready
    assertThat(harness.mx.statusReads).hasSize(5);
    // Pauses of 1, 2 and 4 seconds between the reads.
    assertThat(Duration.between(end.transitions().get(1).at(), end.transitions().get(2).at()))
        .isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
    harness.replayAndMaybeRecord(connection, "confirmation-lags");
  }

  @Test
  void aCancelWhileConfirmingEndsTheConnection() throws Exception {
    ConnectionWorkflow connection = started("m-confirm-cancel");
    connection.relayOAuthMessage(OAuthMessage.success(connection.view().memberGuid()));

    ConnectionView cancelled = connection.cancel();

    assertThat(cancelled.state()).isEqualTo(CANCELLED);
    assertThat(harness.result(connection).transitions())
        .extracting(Transition::to)
        .containsExactly(AWAITING_OAUTH, CONFIRMING, CANCELLED);
    harness.replayAndMaybeRecord(connection, "confirmation-cancelled");
  }

  @Test
  void aLostBrowserMessageIsRecoveredFromMxsWebhookInSeconds() throws Exception {
    ConnectionWorkflow connection = started("m-lost");
    String guid = connection.view().memberGuid();
    harness.mx.completeOAuth(guid);
    harness.env.sleep(Duration.ofSeconds(5));

    connection.mxMemberChanged(new MxMemberNews(guid, "MEMBER"));
    harness.env.sleep(Duration.ofSeconds(1));
    // The browser's message, late after all: it hears the connection as MX made it.
    assertThat(connection.relayOAuthMessage(OAuthMessage.success(guid)).state())
        .isEqualTo(CONNECTED);

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CONNECTED);
    assertThat(end.transitions())
        .extracting(Transition::event)
        .containsExactly(ConnectionEvent.MEMBER_READY, ConnectionEvent.MX_CONFIRMED);
    assertThat(Duration.between(end.transitions().get(0).at(), end.transitions().get(1).at()))
        .isLessThan(Duration.ofSeconds(10));
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
    harness.replayAndMaybeRecord(connection, "mx-webhook-connects");
  }

  @Test
  void mxWebhooksTwiceOrOutOfOrderChangeNothingButWhatMxReportsNow() throws Exception {
    ConnectionWorkflow connection = started("m-webhooks");
    ConnectionView first = connection.view();
    String guid = first.memberGuid();

    // Nothing happened at MX yet, however often it is said, and news of other members is not ours.
    connection.mxMemberChanged(new MxMemberNews(guid, "MEMBER"));
    connection.mxMemberChanged(new MxMemberNews(guid, "MEMBER"));
    connection.mxMemberChanged(new MxMemberNews("MBR-someone-else", "MEMBER"));
    harness.env.sleep(Duration.ofSeconds(5));
    ConnectionView unchanged = connection.view();
    assertThat(unchanged.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(unchanged.attempt()).isEqualTo(1);
    assertThat(unchanged.oauthWindowUri()).isEqualTo(first.oauthWindowUri());
    assertThat(harness.mx.statusReads).isNotEmpty().containsOnly(guid);

    // A late webhook of an earlier DENIED arrives after the member connected: MX now says
    // CONNECTED.
    harness.mx.completeOAuth(guid);
    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
  }

  @Test
  void anMxWebhookOfADeniedLoginTakesTheDeniedRow() throws Exception {
    ConnectionWorkflow connection = started("m-webhook-denied");
    String guid = connection.view().memberGuid();
    harness.mx.statuses.put(guid, "DENIED");

    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    harness.env.sleep(Duration.ofSeconds(5));

    ConnectionView denied = connection.view();
    assertThat(denied.state()).isEqualTo(LOGIN_FAILED);
    assertThat(denied.lastErrorReason()).isEqualTo(ErrorReason.DENIED);
    int reads = harness.mx.statusReads.size();
    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    harness.env.sleep(Duration.ofSeconds(5));
    assertThat(connection.view().state()).isEqualTo(LOGIN_FAILED);
    assertThat(harness.mx.statusReads).as("no read while the user is to retry").hasSize(reads);
    connection.cancel();
    harness.replayAndMaybeRecord(connection, "mx-webhook-denied");
  }

  @Test
  void aMessageThatArrivesWhileMxsWebhookIsActedOnIsRefusedOrApplied() throws Exception {
    harness.mx.slowReads = true;
    ConnectionWorkflow connection = started("m-race");
    String guid = connection.view().memberGuid();
    harness.mx.statuses.put(guid, "DENIED");

    connection.mxMemberChanged(new MxMemberNews(guid, "CONNECTION_STATUS"));
    Thread.sleep(100);
    try {
      assertThat(connection.relayOAuthMessage(error(connection.view(), ErrorReason.DENIED)).state())
          .isEqualTo(LOGIN_FAILED);
    } catch (WorkflowUpdateException refused) {
      assertThat(refused.getCause())
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(Refusal.CONFLICT);
                assertThat(failure.getOriginalMessage()).contains("moved on", "LOGIN_FAILED");
              });
    }

    // The connection went on: its task never failed, and it takes the user's retry.
    assertThat(connection.view().state()).isEqualTo(LOGIN_FAILED);
    assertThat(connection.retry().state()).isEqualTo(AWAITING_OAUTH);
  }

  @Test
  void anAppRedirectAppliesToItsOwnWindowOnce() {
    ConnectionWorkflow connection = started("m-redirect");
    String guid = connection.view().memberGuid();

    assertThat(
            connection
                .relayOAuthMessage(OAuthMessage.redirect(guid, ErrorReason.CANCELLED, 1))
                .attempt())
        .isEqualTo(2);
    assertRejected(
        () -> connection.relayOAuthMessage(OAuthMessage.redirect(guid, ErrorReason.CANCELLED, 1)),
        Refusal.CONFLICT,
        "this redirect was used already");
    assertThat(
            connection
                .relayOAuthMessage(OAuthMessage.error(guid, ErrorReason.SESSION_ERROR))
                .attempt())
        .isEqualTo(3);
    assertRejected(
        () -> connection.relayOAuthMessage(OAuthMessage.redirect(guid, null, 2)),
        Refusal.CONFLICT,
        "this redirect was for window 2");
    harness.mx.completeOAuth(guid);
    assertThat(connection.relayOAuthMessage(OAuthMessage.redirect(guid, null, 3)).state())
        .isEqualTo(CONNECTED);
    assertRejected(
        () -> connection.relayOAuthMessage(OAuthMessage.redirect(guid, null, 3)),
        Refusal.CONFLICT,
        "this redirect was used already");
    assertThat(harness.mx.windowRequests)
        .extracting(OAuthWindowRequest::attempt)
        .containsExactly(1, 2, 3);
  }

  @Test
  void anAppRedirectThatArrivesAfterMxsWebhookStillShowsTheOutcomeOnce() throws Exception {
    ConnectionWorkflow connection = started("m-redirect-late");
    String guid = connection.view().memberGuid();
    harness.mx.completeOAuth(guid);
    connection.mxMemberChanged(new MxMemberNews(guid, "MEMBER"));
    harness.env.sleep(Duration.ofSeconds(1));

    assertThat(connection.relayOAuthMessage(OAuthMessage.redirect(guid, null, 1)).state())
        .isEqualTo(CONNECTED);
    assertRejected(
        () -> connection.relayOAuthMessage(OAuthMessage.redirect(guid, null, 1)),
        Refusal.CONFLICT,
        "this redirect was used already");
  }

  @Test
  void afterConnectedTheFirstAggregationIsFollowedToDataReady() throws Exception {
    ConnectionWorkflow connection = started("m-data-ready");
    harness.mx.aggregatingReads.set(3);

    ConnectionView connected = succeed(connection, connection.view().memberGuid());
    assertThat(connected.state()).isEqualTo(CONNECTED);
    assertThat(connected.aggregation()).isEqualTo(AggregationState.AGGREGATING);

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CONNECTED);
    assertThat(end.aggregation()).isEqualTo(AggregationState.DATA_READY);
    assertThat(end.aggregationMxStatus()).isNull();
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
    harness.replayAndMaybeRecord(connection, "aggregation-data-ready");
  }

  @Test
  void aFailedAggregationIsReportedWithMxsStatus() throws Exception {
    ConnectionWorkflow connection = started("m-aggregation-failed");
    harness.mx.aggregatingReads.set(2);
    String guid = connection.view().memberGuid();
    succeed(connection, guid);
    harness.mx.statuses.put(guid, "FAILED");

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CONNECTED);
    assertThat(end.aggregation()).isEqualTo(AggregationState.FAILED);
    assertThat(end.aggregationMxStatus()).isEqualTo("FAILED");
    harness.assertDelivered(
        connection, NotificationType.CONNECTED, NotificationType.AGGREGATION_FAILED);
    assertThat(harness.notifier.delivered.get(1).mxConnectionStatus()).isEqualTo("FAILED");
    harness.replayAndMaybeRecord(connection, "aggregation-failed");
  }

  @Test
  void anAggregationThatNeverEndsFailsWhenItsWindowEnds() throws Exception {
    ConnectionWorkflow connection = started("m-aggregation-endless");
    harness.mx.aggregatingReads.set(Integer.MAX_VALUE);
    succeed(connection, connection.view().memberGuid());

    ConnectionView end = harness.result(connection);
    assertThat(end.aggregation()).isEqualTo(AggregationState.FAILED);
    assertThat(end.aggregationMxStatus()).isEqualTo("CONNECTED");
    // pauses of 2 s, 4 s, … then a minute, for the 30 minutes: about 34 reads, not hundreds
    assertThat(harness.mx.statusReads).hasSizeBetween(30, 40);
    harness.replayAndMaybeRecord(connection, "aggregation-window-ends");
  }

  @Test
  void aSkippedAggregationIsNotFollowed() throws Exception {
    OAuthWindowOptions skip =
        new OAuthWindowOptions(ReferralSource.BROWSER, true, null, null, null);
    ConnectionWorkflow connection =
        harness.start(
            new ConnectionRequest(
                "m-skip",
                "user-1",
                "m-skip",
                "mxbank",
                skip,
                OutcomePolicy.defaults(),
                MxApi.PLATFORM,
                "mxbank",
                null,
                true));
    String guid = connection.awaitFirstWindow().memberGuid();
    succeed(connection, guid);

    ConnectionView end = harness.result(connection);
    assertThat(end.aggregation()).isEqualTo(AggregationState.SKIPPED);
    assertThat(harness.mx.statusReads).hasSize(1);
    harness.assertDelivered(connection, NotificationType.CONNECTED);
    harness.replayAndMaybeRecord(connection, "aggregation-skipped");
  }

  @ParameterizedTest
  @EnumSource(names = {"CANCELLED", "SESSION_ERROR"})
  void retryableErrorsIssueAFreshUriThenConnect(ErrorReason reason) throws Exception {
    ConnectionWorkflow connection = started("m-retry-" + reason);
    ConnectionView first = connection.view();

    ConnectionView second = connection.relayOAuthMessage(error(first, reason));

    assertThat(second.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.lastErrorReason()).isEqualTo(reason);
    assertThat(second.oauthWindowUri()).isNotBlank().isNotEqualTo(first.oauthWindowUri());
    assertThat(harness.mx.windowRequests).hasSize(2);
    assertThat(harness.notifier.delivered).isEmpty();

    succeed(connection, first.memberGuid());
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    harness.replayAndMaybeRecord(connection, "retry-" + reason.name().toLowerCase());
  }

  @Test
  void retriesEndInFailureWhenAttemptsRunOut() throws Exception {
    ConnectionWorkflow connection = started("m-exhausted");
    ConnectionView view = connection.view();
    for (int i = 1; i < OutcomePolicy.DEFAULT_MAX_ATTEMPTS; i++) {
      view = connection.relayOAuthMessage(error(view, ErrorReason.CANCELLED));
      assertThat(view.state()).isEqualTo(AWAITING_OAUTH);
    }
    assertThat(view.attempt()).isEqualTo(OutcomePolicy.DEFAULT_MAX_ATTEMPTS);

    ConnectionView last = connection.relayOAuthMessage(error(view, ErrorReason.CANCELLED));

    assertThat(last.state()).isEqualTo(FAILED);
    assertThat(last.failureReason()).isEqualTo(FailureReason.ATTEMPTS_EXHAUSTED);
    assertThat(harness.mx.windowRequests).hasSize(OutcomePolicy.DEFAULT_MAX_ATTEMPTS);
    harness.assertDelivered(connection, NotificationType.FAILED);
    harness.replayAndMaybeRecord(connection, "attempts-exhausted");
  }

  @Test
  void visibilityFollowsTheConnection() throws Exception {
    ConnectionWorkflow connection = started("m-visible");
    assertThat(shown(connection))
        .containsExactly("AWAITING_OAUTH", 1L, null, "mxbank", "user-1", "platform");

    ConnectionView first = connection.view();
    connection.relayOAuthMessage(error(first, ErrorReason.CANCELLED));
    assertThat(shown(connection))
        .containsExactly("AWAITING_OAUTH", 2L, "CANCELLED", "mxbank", "user-1", "platform");

    connection.relayOAuthMessage(error(first, ErrorReason.IMPEDED));
    assertThat(shown(connection))
        .containsExactly("ACTION_REQUIRED", 2L, "IMPEDED", "mxbank", "user-1", "platform");

    connection.resume();
    succeed(connection, first.memberGuid());
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    assertThat(shown(connection))
        .containsExactly("CONNECTED", 3L, "IMPEDED", "mxbank", "user-1", "platform");
    assertThat(harness.searchAttributes(connection).get(ConnectionSearchAttributes.MEMBER_GUID))
        .isEqualTo(first.memberGuid());
    harness.replayAndMaybeRecord(connection, "search-attributes");
  }

  private List<Object> shown(ConnectionWorkflow connection) {
    SearchAttributes attributes = harness.searchAttributes(connection);
    return Arrays.asList(
        attributes.get(ConnectionSearchAttributes.STATE),
        attributes.get(ConnectionSearchAttributes.ATTEMPT),
        attributes.get(ConnectionSearchAttributes.LAST_ERROR_REASON),
        attributes.get(ConnectionSearchAttributes.INSTITUTION_CODE),
        attributes.get(ConnectionSearchAttributes.USER_ID),
        attributes.get(ConnectionSearchAttributes.MX_API));
  }

  @Test
  void impededNotifiesThenResumeIssuesAFreshUri() throws Exception {
    ConnectionWorkflow connection = started("m-impeded");
    ConnectionView first = connection.view();

    ConnectionView waiting = connection.relayOAuthMessage(error(first, ErrorReason.IMPEDED));

    assertThat(waiting.state()).isEqualTo(ACTION_REQUIRED);
    assertThat(waiting.oauthWindowUri()).isNull();
    harness.awaitDeliveries(connection);
    assertThat(harness.notifier.deliveredTypes()).containsExactly(NotificationType.ACTION_REQUIRED);
    ConnectionNotification sent = harness.notifier.delivered.get(0);
    assertThat(sent.errorReason()).isEqualTo(ErrorReason.IMPEDED);
    assertThat(sent.memberGuid()).isEqualTo(first.memberGuid());

    ConnectionView resumed = connection.resume();
    assertThat(resumed.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.oauthWindowUri()).isNotEqualTo(first.oauthWindowUri());

    succeed(connection, first.memberGuid());
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    harness.replayAndMaybeRecord(connection, "impeded-resume");
  }

  @Test
  void impededExpiresWhenTheResumeWindowEnds() throws Exception {
    ConnectionWorkflow connection = started("m-impeded-expires");
    connection.relayOAuthMessage(error(connection.view(), ErrorReason.IMPEDED));

    harness.env.sleep(OutcomePolicy.DEFAULT_RESUME_WINDOW.plusMinutes(1));

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(EXPIRED);
    assertThat(end.failureReason()).isEqualTo(FailureReason.WINDOW_ENDED);
    harness.awaitDeliveries(connection);
    assertThat(harness.notifier.deliveredTypes())
        .containsExactly(NotificationType.ACTION_REQUIRED, NotificationType.EXPIRED);
    harness.replayAndMaybeRecord(connection, "impeded-expires");
  }

  @Test
  void deniedNotifiesAndWaitsForARetry() throws Exception {
    ConnectionWorkflow connection = started("m-denied");
    ConnectionView first = connection.view();

    ConnectionView waiting = connection.relayOAuthMessage(error(first, ErrorReason.DENIED));
    assertThat(waiting.state()).isEqualTo(LOGIN_FAILED);
    harness.assertDelivered(connection, NotificationType.LOGIN_FAILED);
    harness.awaitDeliveries(connection);
    assertThat(harness.notifier.alerts).isEmpty();

    ConnectionView retried = connection.retry();
    assertThat(retried.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(retried.oauthWindowUri()).isNotEqualTo(first.oauthWindowUri());

    connection.relayOAuthMessage(error(retried, ErrorReason.DENIED));
    harness.env.sleep(OutcomePolicy.DEFAULT_RETRY_WINDOW.plusMinutes(1));
    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(FAILED);
    assertThat(end.failureReason()).isEqualTo(FailureReason.WINDOW_ENDED);
    harness.replayAndMaybeRecord(connection, "denied-retry-window-ends");
  }

  @ParameterizedTest
  @EnumSource(names = {"PROVIDER_ERROR", "SERVER_ERROR"})
  void providerErrorsAlertOperatorsAndWaitForARetry(ErrorReason reason) throws Exception {
    ConnectionWorkflow connection = started("m-provider-" + reason);
    ConnectionView first = connection.view();

    ConnectionView waiting = connection.relayOAuthMessage(error(first, reason));

    assertThat(waiting.state()).isEqualTo(PROVIDER_UNAVAILABLE);
    harness.awaitDeliveries(connection);
    assertThat(harness.notifier.alerts)
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.errorReason()).isEqualTo(reason);
              assertThat(alert.institutionCode()).isEqualTo("mxbank");
              assertThat(alert.connectionId()).isEqualTo("m-provider-" + reason);
            });
    harness.awaitDeliveries(connection);
    assertThat(harness.notifier.deliveredTypes())
        .containsExactly(NotificationType.PROVIDER_UNAVAILABLE);

    connection.retry();
    succeed(connection, first.memberGuid());
    assertThat(harness.result(connection).state()).isEqualTo(CONNECTED);
    harness.replayAndMaybeRecord(connection, "provider-" + reason.name().toLowerCase());
  }

  @Test
  void timeoutConnectsWhenMxSaysTheMemberIsConnected() throws Exception {
    ConnectionWorkflow connection = started("m-timeout-connected");
    harness.mx.completeOAuth(connection.view().memberGuid());

    harness.env.sleep(OutcomePolicy.DEFAULT_OAUTH_TIMEOUT.plusMinutes(1));

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(CONNECTED);
    assertThat(end.transitions())
        .extracting(Transition::event)
        .contains(ConnectionEvent.TIMED_OUT_BUT_CONNECTED);
    harness.assertDelivered(connection, NotificationType.CONNECTED, NotificationType.DATA_READY);
    harness.replayAndMaybeRecord(connection, "timeout-connected");
  }

  @Test
  void timeoutExpiresWhenMxDoesNotReportAConnection() throws Exception {
    ConnectionWorkflow connection = started("m-timeout-expired");

    harness.env.sleep(OutcomePolicy.DEFAULT_OAUTH_TIMEOUT.plusMinutes(1));

    ConnectionView end = harness.result(connection);
    assertThat(end.state()).isEqualTo(EXPIRED);
    assertThat(end.failureReason()).isEqualTo(FailureReason.OAUTH_TIMED_OUT);
    assertThat(end.failureDetail()).contains("PENDING");
    harness.assertDelivered(connection, NotificationType.EXPIRED);
    harness.replayAndMaybeRecord(connection, "timeout-expired");
  }

  @Test
  void cancelEndsTheConnection() throws Exception {
    ConnectionWorkflow connection = started("m-cancel");

    ConnectionView cancelled = connection.cancel();

    assertThat(cancelled.state()).isEqualTo(CANCELLED);
    assertThat(cancelled.oauthWindowUri()).isNull();
    assertThat(harness.result(connection).state()).isEqualTo(CANCELLED);
    harness.assertDelivered(connection, NotificationType.CANCELLED);
    harness.replayAndMaybeRecord(connection, "cancel");
  }

  @Test
  void institutionWithoutOAuthFailsAtOnce() throws Exception {
    ConnectionWorkflow connection =
        harness.start(
            WorkflowHarness.request(
                "m-no-oauth", FakeMx.INSTITUTION_WITHOUT_OAUTH, OutcomePolicy.defaults()));

    ConnectionView end = connection.awaitFirstWindow();

    assertThat(end.state()).isEqualTo(FAILED);
    assertThat(end.failureReason()).isEqualTo(FailureReason.OAUTH_NOT_SUPPORTED);
    assertThat(end.failureDetail()).isEqualTo("Member cannot use OAuth");
    assertThat(harness.mx.windowRequests).isEmpty();
    harness.assertDelivered(connection, NotificationType.FAILED);
    harness.replayAndMaybeRecord(connection, "oauth-not-supported");
  }

  @ParameterizedTest
  @EnumSource(MxApi.class)
  void everyMxCallNamesTheConnectionsApi(MxApi api) throws Exception {
    ConnectionWorkflow connection =
        harness.start(
            WorkflowHarness.request("m-api-" + api, "mxbank", OutcomePolicy.defaults(), api));
    succeed(connection, connection.awaitFirstWindow().memberGuid());

    assertThat(connection.view().mxApi()).isEqualTo(api);
    // the member opened with its user and first window, and the read that confirms the success
    assertThat(harness.mx.apis).hasSize(2).containsOnly(api);
    harness.replayAndMaybeRecord(connection, "success-" + api.wireName());
  }

  @Test
  void startingTwiceJoinsTheSameConnectionAndCreatesOneMember() {
    ConnectionWorkflow first = started("m-twice");
    ConnectionWorkflow second = harness.start(WorkflowHarness.request("m-twice"));

    assertThat(second.awaitFirstWindow().oauthWindowUri()).isEqualTo(first.view().oauthWindowUri());
    assertThat(harness.mx.memberCreations).hasSize(1);
  }

  @Test
  void ofConcurrentStartsTheOneThatStartedTheRunCreatedTheConnection() throws Exception {
    ConnectionRequest first = WorkflowHarness.request("m-once");
    StartAnswer created = harness.startLikeTheApi(first);
    StartAnswer joined =
        harness.startLikeTheApi(asked(first, "start-again", "user-1", "mxbank", MxApi.PLATFORM));

    assertThat(created.created()).isTrue();
    assertThat(created.connection().oauthWindowUri()).isNotBlank();
    assertThat(joined.created()).isFalse();
    assertThat(joined.connection().oauthWindowUri())
        .isEqualTo(created.connection().oauthWindowUri());
    assertThat(harness.mx.memberCreations).hasSize(1);
    ConnectionWorkflow connection = harness.running("m-once");
    connection.cancel();
    harness.replayAndMaybeRecord(connection, "start-update-with-start");
  }

  @Test
  void aStartThatDiffersFromTheRunningConnectionIsRefusedNamingTheField() {
    ConnectionRequest first = WorkflowHarness.request("m-differs");
    harness.startLikeTheApi(first);

    assertRejected(
        () -> harness.startLikeTheApi(asked(first, "s2", "user-2", "mxbank", MxApi.PLATFORM)),
        Refusal.CONFLICT,
        "user_id differs");
    assertRejected(
        () -> harness.startLikeTheApi(asked(first, "s3", "user-1", "otherbank", MxApi.PLATFORM)),
        Refusal.CONFLICT,
        "institution_code differs");
    assertRejected(
        () -> harness.startLikeTheApi(asked(first, "s4", "user-1", "mxbank", MxApi.ATRIUM)),
        Refusal.CONFLICT,
        "mx_api differs: connection m-differs is running with mx_api platform, not atrium");
    assertThat(harness.mx.memberCreations).hasSize(1);
  }

  private static ConnectionRequest asked(
      ConnectionRequest request, String startId, String userId, String institution, MxApi api) {
    return new ConnectionRequest(
        request.connectionId(),
        userId,
        request.memberId(),
        institution,
        request.windowOptions(),
        request.policy(),
        api,
        institution,
        startId,
        request.webhooks());
  }

  @Test
  void ofACancelAndASuccessAtOnceOneAppliesAndTheOtherHearsWhatDid() throws Exception {
    harness.mx.slowReads = true;
    ConnectionWorkflow connection = started("m-cancel-race");
    String guid = connection.view().memberGuid();
    // MX's webhook keeps the workflow reading MX (nothing new there) while both requests are taken.
    connection.mxMemberChanged(new MxMemberNews(guid, "MEMBER"));
    Thread.sleep(100);
    // Both arrive while MX is read: MX is read in the workflow task (a local activity), so the
    // workflow takes both in its next task, whichever was sent first.
    var success =
        CompletableFuture.supplyAsync(
            () -> connection.relayOAuthMessage(OAuthMessage.success(guid)));
    var cancel = CompletableFuture.supplyAsync(connection::cancel);

    assertThat(cancel.join().state()).isEqualTo(CANCELLED);
    assertRejected(
        () -> unwrapped(success),
        Refusal.CONFLICT,
        "moved on before this could apply: it is CANCELLED");
    harness.assertDelivered(connection, NotificationType.CANCELLED);
    harness.replayAndMaybeRecord(connection, "cancel-beats-success");
  }

  @Test
  void policyIsConfigurablePerReason() {
    Map<ErrorReason, OutcomeAction> actions = new HashMap<>(OutcomePolicy.defaultActions());
    actions.put(ErrorReason.DENIED, OutcomeAction.RETRY_WITH_FRESH_URI);
    OutcomePolicy policy =
        new OutcomePolicy(
            actions,
            2,
            Duration.ofMinutes(1),
            Duration.ofHours(1),
            Duration.ofHours(1),
            OutcomePolicy.DEFAULT_CONFIRM_WINDOW,
            OutcomePolicy.DEFAULT_AGGREGATION_WINDOW,
            OutcomePolicy.DEFAULT_CHECKUP_INTERVAL,
            OutcomePolicy.DEFAULT_STALE_AFTER);
    ConnectionWorkflow connection =
        harness.start(WorkflowHarness.request("m-policy", "mxbank", policy));
    ConnectionView first = connection.awaitFirstWindow();

    ConnectionView second = connection.relayOAuthMessage(error(first, ErrorReason.DENIED));
    assertThat(second.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(second.maxAttempts()).isEqualTo(2);

    ConnectionView third = connection.relayOAuthMessage(error(second, ErrorReason.DENIED));
    assertThat(third.state()).isEqualTo(FAILED);
    assertThat(third.failureReason()).isEqualTo(FailureReason.ATTEMPTS_EXHAUSTED);
  }

  @Test
  void webhookRetriesKeepTheSameId() {
    harness.notifier.failuresToInject.set(2);
    ConnectionWorkflow connection = started("m-webhook-retry");

    succeed(connection, connection.view().memberGuid());
    harness.result(connection);

    assertThat(harness.notifier.attempts).hasSize(harness.notifier.delivered.size() + 2);
    for (ConnectionNotification delivered : harness.notifier.delivered) {
      assertThat(harness.notifier.attempts)
          .filteredOn(n -> n.type() == delivered.type())
          .extracting(ConnectionNotification::id)
          .containsOnly(delivered.id());
    }
  }

  // --- what the update validators refuse; the connection must be unchanged afterwards ---

  @Test
  void messageForAnotherMemberIsRejectedAndChangesNothing() {
    ConnectionWorkflow connection = started("m-wrong-guid");
    ConnectionView before = connection.view();

    assertRejected(
        () -> connection.relayOAuthMessage(OAuthMessage.success("MBR-someone-else")),
        Refusal.INVALID,
        "MBR-someone-else does not belong to this connection");

    assertThat(connection.view()).isEqualTo(before);
  }

  @Test
  void retryAndResumeAreRejectedWhileAwaitingOAuth() {
    ConnectionWorkflow connection = started("m-early-retry");
    ConnectionView before = connection.view();

    assertRejected(connection::retry, Refusal.CONFLICT, "the connection is AWAITING_OAUTH");
    assertRejected(connection::resume, Refusal.CONFLICT, "the connection is AWAITING_OAUTH");

    assertThat(connection.view()).isEqualTo(before);
  }

  @Test
  void resumeIsRejectedAfterDenied() {
    ConnectionWorkflow connection = started("m-resume-denied");
    connection.relayOAuthMessage(error(connection.view(), ErrorReason.DENIED));

    assertRejected(connection::resume, Refusal.CONFLICT, "resume applies after IMPEDED");
    assertThat(connection.view().state()).isEqualTo(LOGIN_FAILED);
  }

  @Test
  void messagesAndCancelsOfAConnectedMemberAreRejectedWhileWebhooksAreStillOut() {
    harness.notifier.failuresToInject.set(Integer.MAX_VALUE);
    ConnectionWorkflow connection = started("m-after-end");
    succeed(connection, connection.view().memberGuid());

    assertRejected(
        () -> connection.relayOAuthMessage(error(connection.view(), ErrorReason.CANCELLED)),
        Refusal.CONFLICT,
        "no OAuth window is open: the connection is CONNECTED");
    assertRejected(
        connection::cancel, Refusal.CONFLICT, "cancel applies while the connection is being made");
    assertThat(connection.view().state()).isEqualTo(CONNECTED);
  }

  /** What the call in {@code future} threw, as it threw it. */
  private static void unwrapped(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
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
