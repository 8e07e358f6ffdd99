package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.workflows.connection.Effect.FetchWindow;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.OpenedMember;
import io.memberflow.workflows.mx.ReferralSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A connection's rules without Temporal: each input, and what the connection does about it. */
class ConnectionTest {

  private static final OutcomePolicy POLICY = OutcomePolicy.defaults();

  /**
   * The product's branch table (DESIGN.md), row by row, with what the end of each wait leads to.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // error_reason, state after,    webhook,              alerts, fresh window, waits for, at its
    // end
    "CANCELLED,      AWAITING_OAUTH, ,                     false,  true,         OAUTH,     EXPIRED",
    "SESSION_ERROR,  AWAITING_OAUTH, ,                     false,  true,         OAUTH,     EXPIRED",
    "IMPEDED,        ACTION_REQUIRED, ACTION_REQUIRED,     false,  false,        RESUME,    EXPIRED",
    "DENIED,         LOGIN_FAILED,   LOGIN_FAILED,         false,  false,        RETRY,     FAILED",
    "PROVIDER_ERROR, PROVIDER_UNAVAILABLE, PROVIDER_UNAVAILABLE, true, false,    RETRY,     FAILED",
    "SERVER_ERROR,   PROVIDER_UNAVAILABLE, PROVIDER_UNAVAILABLE, true, false,    RETRY,     FAILED",
  })
  void everyErrorReasonGetsItsWholeReaction(
      ErrorReason reason,
      ConnectionState after,
      NotificationType webhook,
      boolean alerts,
      boolean freshWindow,
      Wait waitsFor,
      ConnectionState atItsEnd) {
    Script script = Script.withFirstWindow();

    Reaction reaction = script.relayError(reason);

    assertThat(script.connection.state()).isEqualTo(after);
    assertThat(script.webhooks(reaction)).isEqualTo(webhook == null ? List.of() : List.of(webhook));
    assertThat(Script.alerts(reaction)).isEqualTo(alerts ? 1 : 0);
    assertThat(Script.fetchesWindow(reaction)).isEqualTo(freshWindow);
    assertThat(reaction.then()).isEqualTo(waitsFor);
    assertThat(reaction.until()).isEqualTo(script.now().plus(POLICY.window(waitsFor)));
    assertThat(script.connection.view().lastErrorReason()).isEqualTo(reason);
    assertThat(script.connection.view().attempt()).isEqualTo(freshWindow ? 2 : 1);

    // Nothing more comes from the user: the window ends the wait.
    Reaction end = script.waitsItOut();
    if (waitsFor == Wait.OAUTH) {
      assertThat(Script.read(end).patient()).as("MX has the last word on an open window").isTrue();
      end = script.mxSays("PENDING");
    }
    assertThat(script.connection.state()).isEqualTo(atItsEnd);
    assertThat(script.webhooks(end))
        .containsExactly(atItsEnd == EXPIRED ? NotificationType.EXPIRED : NotificationType.FAILED);
    assertThat(script.connection.hasEnded()).isTrue();
    assertThat(script.connection.until()).isNull();
  }

  @Test
  void openedInOneCallTheMembersFirstWindowIsTheOneMxGaveWithIt() {
    Script script = new Script(POLICY);
    script.connection.opensInOneCall();

    Reaction begun = script.connection.begin();
    assertThat(begun.effects())
        .singleElement()
        .isInstanceOfSatisfying(
            Effect.OpenMember.class,
            open -> assertThat(open.member().userId()).isEqualTo("user-1"));
    Reaction opened =
        script.connection.memberOpened(
            new OpenedMember(
                new MxMember(Script.MEMBER_GUID, "member-1", "USR-1", "mxbank"), "uri-1"));

    assertThat(opened.effects()).as("no call for a window: it came with the member").isEmpty();
    assertThat(opened.then()).isEqualTo(Wait.OAUTH);
    ConnectionView view = script.connection.view();
    assertThat(view.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(view.oauthWindowUri()).isEqualTo("uri-1");
    assertThat(view.attempt()).isEqualTo(1);
    assertThat(view.userGuid()).isEqualTo("USR-1");
  }

  @Test
  void aMemberOpenedWithoutAWindowAsksForItsFirstOne() {
    Script script = new Script(POLICY);
    script.connection.opensInOneCall();
    script.connection.begin();

    Reaction opened =
        script.connection.memberOpened(
            new OpenedMember(
                new MxMember(Script.MEMBER_GUID, "member-1", "USR-1", "mxbank"), null));
    assertThat(opened.then()).isEqualTo(Wait.FIRST_WINDOW);
    Reaction asked = script.connection.timeIsUp();

    assertThat(Script.fetchesWindow(asked)).isTrue();
    assertThat(script.connection.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(script.connection.view().attempt()).isEqualTo(1);
  }

  @Test
  void aRelayedSuccessIsConfirmedWithMxThenFollowedToDataReady() {
    Script script = Script.withFirstWindow();

    Reaction relayed = script.relay(OAuthMessage.success(Script.MEMBER_GUID));
    assertThat(script.connection.state()).isEqualTo(CONFIRMING);
    assertThat(Script.read(relayed).patient()).isFalse();
    assertThat(script.webhooks(relayed)).isEmpty();

    Reaction confirmed = script.mxSays("CONNECTED");
    assertThat(script.connection.state()).isEqualTo(CONNECTED);
    assertThat(script.webhooks(confirmed)).containsExactly(NotificationType.CONNECTED);
    assertThat(confirmed.then()).isEqualTo(Wait.AGGREGATION);
    assertThat(confirmed.until()).isEqualTo(script.now().plusSeconds(2));
    assertThat(script.connection.hasEnded()).isFalse();

    script.waitsItOut();
    Reaction ready = script.mxSaysDataIsReady();
    assertThat(script.webhooks(ready)).containsExactly(NotificationType.DATA_READY);
    assertThat(script.connection.view().aggregation()).isEqualTo(AggregationState.DATA_READY);
    assertThat(script.connection.hasEnded()).isTrue();
    assertThat(script.metrics)
        .containsExactly(
            "started",
            "transition:STARTING>AWAITING_OAUTH",
            "uri_issued",
            "oauth_result:success",
            "transition:AWAITING_OAUTH>CONFIRMING",
            "confirmation:confirmed",
            "transition:CONFIRMING>CONNECTED",
            "finished:CONNECTED",
            "aggregation:data_ready");
  }

  @Test
  void aSuccessMxNeverConfirmsIsReadWithGrowingPausesThenGetsAFreshWindow() {
    Script script = Script.withFirstWindow();
    script.relay(OAuthMessage.success(Script.MEMBER_GUID));
    script.mxSays("PENDING");

    List<Long> readAt = new ArrayList<>();
    while (script.connection.state() == CONFIRMING) {
      long seconds =
          Duration.between(
                  script.connection.view().transitions().get(1).at(), script.connection.until())
              .toSeconds();
      readAt.add(seconds);
      script.waitsItOut();
      script.mxSays("PENDING");
    }

    assertThat(readAt).containsExactly(1L, 3L, 7L, 15L, 30L, 45L, 60L, 75L, 90L, 105L, 120L);
    assertThat(script.connection.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(script.connection.view().attempt()).isEqualTo(2);
    assertThat(script.connection.view().transitions())
        .extracting(Transition::event)
        .endsWith(ConnectionEvent.OAUTH_REPORTED_SUCCESS, ConnectionEvent.NOT_CONFIRMED);
    assertThat(script.metrics).contains("confirmation:not_confirmed");
  }

  @Test
  void whenAttemptsRunOutTheConnectionFails() {
    Script script = Script.withFirstWindow(policyWith(2, Map.of()));
    script.relayError(ErrorReason.CANCELLED);
    script.windowIssued();

    Reaction last = script.relayError(ErrorReason.SESSION_ERROR);

    ConnectionView view = script.connection.view();
    assertThat(view.state()).isEqualTo(FAILED);
    assertThat(view.failureReason()).isEqualTo(FailureReason.ATTEMPTS_EXHAUSTED);
    assertThat(view.failureDetail()).isEqualTo("SESSION_ERROR on attempt 2 of 2");
    assertThat(script.webhooks(last)).containsExactly(NotificationType.FAILED);
    assertThat(Script.fetchesWindow(last)).isFalse();
  }

  @Test
  void theDeploymentsPolicyPicksAnotherRowForAReason() {
    Script script =
        Script.withFirstWindow(
            policyWith(5, Map.of(ErrorReason.DENIED, OutcomeAction.RETRY_WITH_FRESH_URI)));

    Reaction reaction = script.relayError(ErrorReason.DENIED);

    assertThat(script.connection.state()).isEqualTo(AWAITING_OAUTH);
    assertThat(script.webhooks(reaction)).isEmpty();
    assertThat(Script.fetchesWindow(reaction)).isTrue();
  }

  @Test
  void whenNoMessageComesAndMxReportsTheMemberConnectedItConnects() {
    Script script = Script.withFirstWindow();

    script.waitsItOut();
    Reaction decided = script.mxSays("CONNECTED");

    assertThat(script.connection.state()).isEqualTo(CONNECTED);
    assertThat(script.webhooks(decided)).containsExactly(NotificationType.CONNECTED);
    assertThat(script.connection.view().transitions())
        .extracting(Transition::event)
        .containsExactly(ConnectionEvent.MEMBER_READY, ConnectionEvent.TIMED_OUT_BUT_CONNECTED);
    assertThat(script.metrics).contains("oauth_result:timeout");
  }

  @Test
  void mxsNewsStandsInForABrowserMessageOnlyWhileAWindowIsOpen() {
    Script script = Script.withFirstWindow();

    assertThat(Script.read(script.did(script.connection.mxReported())).patient()).isFalse();
    script.mxSays("PENDING");
    assertThat(script.connection.state()).as("nothing happened at MX").isEqualTo(AWAITING_OAUTH);

    script.did(script.connection.mxReported());
    Reaction denied = script.mxSays("DENIED");
    assertThat(script.connection.state()).isEqualTo(LOGIN_FAILED);
    assertThat(script.webhooks(denied)).containsExactly(NotificationType.LOGIN_FAILED);

    assertThat(script.connection.mxReported().effects())
        .as("the user is to retry: no read")
        .isEmpty();
    assertThat(script.connection.isAbout(Script.MEMBER_GUID)).isTrue();
    assertThat(script.connection.isAbout("MBR-other")).isFalse();
  }

  @Test
  void aCancelThatCameWhileTheMemberWasMadeEndsItBeforeAnyWindow() {
    Script script = Script.withMember(POLICY, OAuthWindowOptions.browser());

    Reaction cancelled = script.did(script.connection.handle(ClientRequest.CANCEL));

    assertThat(script.connection.state()).isEqualTo(CANCELLED);
    assertThat(cancelled.effects()).noneMatch(FetchWindow.class::isInstance);
    assertThat(script.webhooks(cancelled)).containsExactly(NotificationType.CANCELLED);
    assertThat(script.connection.hasEnded()).isTrue();
  }

  @Test
  void anInstitutionWithoutOAuthFailsAtOnce() {
    Script script = new Script(POLICY);
    script.did(script.connection.begin());
    script.did(script.connection.userEnsured(new MxUser("USR-1", "user-1")));

    Reaction failed =
        script.did(
            script.connection.mxFailed(
                FailureReason.OAUTH_NOT_SUPPORTED, "Member cannot use OAuth"));

    assertThat(script.connection.view().failureReason())
        .isEqualTo(FailureReason.OAUTH_NOT_SUPPORTED);
    assertThat(script.connection.state()).isEqualTo(FAILED);
    assertThat(script.webhooks(failed)).containsExactly(NotificationType.FAILED);
    assertThat(script.connection.hasFirstWindowOrMovedOn()).isTrue();
  }

  @Test
  void anAggregationThatNeverEndsFailsWithMxsLastStatus() {
    Script script = Script.withFirstWindow();
    script.relay(OAuthMessage.success(Script.MEMBER_GUID));
    script.mxSays("CONNECTED");

    int reads = 0;
    while (!script.connection.hasEnded()) {
      script.waitsItOut();
      script.mxSays("CONNECTED");
      reads++;
    }

    assertThat(reads).isBetween(30, 40);
    assertThat(script.connection.view().aggregation()).isEqualTo(AggregationState.FAILED);
    assertThat(script.connection.view().aggregationMxStatus()).isEqualTo("CONNECTED");
    assertThat(script.webhooks(script.last)).containsExactly(NotificationType.AGGREGATION_FAILED);
    assertThat(script.connection.state()).as("the sign-in worked").isEqualTo(CONNECTED);
  }

  @Test
  void aSkippedAggregationIsNotFollowed() {
    OAuthWindowOptions skip =
        new OAuthWindowOptions(ReferralSource.BROWSER, true, null, null, null);
    Script script = Script.withFirstWindow(POLICY, skip);
    script.relay(OAuthMessage.success(Script.MEMBER_GUID));

    script.mxSays("CONNECTED");

    assertThat(script.connection.hasEnded()).isTrue();
    assertThat(script.connection.view().aggregation()).isEqualTo(AggregationState.SKIPPED);
  }

  // --- whether a request applies: refused ones change nothing ---

  @Test
  void requestsThatDoNotApplyAreRefusedWithWhy() {
    Script script = Script.withFirstWindow();
    ConnectionView before = script.connection.view();
    RequestRules rules = script.connection.rules();

    assertRefused(
        () -> rules.applies(ClientRequest.relay(OAuthMessage.success("MBR-other")), List.of()),
        Refusal.INVALID,
        "member_guid MBR-other does not belong to this connection");
    assertRefused(
        () -> rules.applies(ClientRequest.RETRY, List.of()),
        Refusal.CONFLICT,
        "retry applies after DENIED or a provider error; the connection is AWAITING_OAUTH");
    assertRefused(
        () -> rules.applies(ClientRequest.RESUME, List.of()),
        Refusal.CONFLICT,
        "resume applies after IMPEDED");
    ClientRequest success = ClientRequest.relay(OAuthMessage.success(Script.MEMBER_GUID));
    assertRefused(
        () -> rules.applies(success, List.of(success)),
        Refusal.CONFLICT,
        "a message for this OAuth window is already being handled");
    assertRefused(
        () ->
            rules.applies(
                ClientRequest.relay(OAuthMessage.redirect(Script.MEMBER_GUID, null, 7)), List.of()),
        Refusal.CONFLICT,
        "this redirect was for window 7");
    assertThat(rules.applies(success, List.of())).isTrue();

    assertThat(script.connection.view()).isEqualTo(before);
  }

  @Test
  void anOutcomeMxToldFirstIsAnsweredWithTheConnectionAsItIs() {
    Script script = Script.withFirstWindow();
    script.did(script.connection.mxReported());
    script.mxSays("DENIED");

    ClientRequest denied =
        ClientRequest.relay(OAuthMessage.error(Script.MEMBER_GUID, ErrorReason.DENIED));
    assertThat(script.connection.rules().applies(denied, List.of())).isFalse();
    assertThat(script.connection.handle(denied).effects()).isEmpty();
    assertThat(script.connection.state()).isEqualTo(LOGIN_FAILED);
  }

  @Test
  void aRedirectWorksOnceAndTheSecondOfTwoRacingRequestsHearsTheConnectionMovedOn() {
    Script script = Script.withFirstWindow();
    ClientRequest redirect =
        ClientRequest.relay(OAuthMessage.redirect(Script.MEMBER_GUID, ErrorReason.CANCELLED, 1));
    script.relay(redirect.message());
    assertRefused(
        () -> script.connection.rules().applies(redirect, List.of()),
        Refusal.CONFLICT,
        "this redirect was used already");

    ClientRequest success = ClientRequest.relay(OAuthMessage.success(Script.MEMBER_GUID));
    script.did(script.connection.handle(ClientRequest.CANCEL));
    assertRefused(
        () -> script.connection.handle(success),
        Refusal.CONFLICT,
        "the connection moved on before this could apply: it is CANCELLED");
    assertRefused(
        () -> script.connection.rules().applies(ClientRequest.CANCEL, List.of()),
        Refusal.CONFLICT,
        "the connection has ended: it is CANCELLED");
  }

  @Test
  void twoUsesOfOneRedirectThatBothPassedTheirValidatorHearTheOutcomeMxAlreadyShows() {
    Script script = Script.withFirstWindow();
    script.relay(OAuthMessage.success(Script.MEMBER_GUID));
    ClientRequest redirect =
        ClientRequest.relay(OAuthMessage.redirect(Script.MEMBER_GUID, null, 1));
    RequestRules rules = script.connection.rules();
    assertThat(rules.applies(redirect, List.of())).isFalse();
    assertThat(rules.applies(redirect, List.of(redirect))).isFalse();

    assertThat(script.connection.handle(redirect).effects()).isEmpty();
    assertThat(script.connection.handle(redirect).effects()).isEmpty();

    assertThat(script.connection.state()).isEqualTo(CONFIRMING);
    assertRefused(() -> rules.applies(redirect, List.of()), Refusal.CONFLICT, "used already");
  }

  @Test
  void ofTwoMessagesThatPassedTheirValidatorTheFirstAppliesAndTheSecondHearsWhatItDid() {
    Script script = Script.withFirstWindow();
    ClientRequest cancelled =
        ClientRequest.relay(OAuthMessage.error(Script.MEMBER_GUID, ErrorReason.CANCELLED));
    ClientRequest denied =
        ClientRequest.relay(OAuthMessage.error(Script.MEMBER_GUID, ErrorReason.DENIED));

    script.did(script.connection.handle(denied));
    assertRefused(
        () -> script.connection.handle(cancelled),
        Refusal.CONFLICT,
        "the connection moved on before this could apply: it is LOGIN_FAILED");
    assertThat(script.connection.view().attempt()).isEqualTo(1);
  }

  @Test
  void aStartNamingAnotherUserInstitutionOrApiIsRefused() {
    Script script = Script.withFirstWindow();
    RequestRules rules = script.connection.rules();
    ConnectionRequest same =
        new ConnectionRequest(
            "conn-1",
            "user-1",
            "member-1",
            "mxbank",
            OAuthWindowOptions.browser(),
            POLICY,
            MxApi.PLATFORM,
            "mxbank",
            "start-2",
            true);

    rules.checkStart(same);
    assertThat(rules.wasStartedBy(same)).isFalse();
    assertRefused(
        () ->
            rules.checkStart(
                new ConnectionRequest(
                    "conn-1",
                    "user-2",
                    "member-1",
                    "mxbank",
                    OAuthWindowOptions.browser(),
                    POLICY,
                    MxApi.PLATFORM,
                    "mxbank",
                    "start-3",
                    true)),
        Refusal.CONFLICT,
        "user_id differs: connection conn-1 is running with user_id user-1, not user-2");
  }

  private static OutcomePolicy policyWith(
      int maxAttempts, Map<ErrorReason, OutcomeAction> overrides) {
    Map<ErrorReason, OutcomeAction> actions = new EnumMap<>(OutcomePolicy.defaultActions());
    actions.putAll(overrides);
    return new OutcomePolicy(
        actions,
        maxAttempts,
        POLICY.oauthTimeout(),
        POLICY.resumeWindow(),
        POLICY.retryWindow(),
        POLICY.confirmWindow(),
        POLICY.aggregationWindow(),
        POLICY.checkupInterval(),
        POLICY.staleAfter());
  }

  private static void assertRefused(Runnable call, String type, String why) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            Refusal.class,
            refusal -> {
              assertThat(refusal.type()).isEqualTo(type);
              assertThat(refusal.getMessage()).contains(why);
            });
  }
}
