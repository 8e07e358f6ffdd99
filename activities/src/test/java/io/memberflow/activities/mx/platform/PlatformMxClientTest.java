package io.memberflow.activities.mx.platform;

import static io.memberflow.workflows.mx.OAuthWindowOptions.browser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.activities.MxClients;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MemberTimings;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxBrowser;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MemberToOpen;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.mx.OpenedMember;
import io.memberflow.workflows.mx.ReferralSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Platform client against the sandbox over HTTP; every exchange is checked against MX's spec.
 */
class PlatformMxClientTest {

  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MxClient mx = client(SandboxConfig.DEFAULT_API_KEY, Duration.ofSeconds(5));

  private MxClient client(String apiKey, Duration timeout) {
    return MxClient.platform(
        MxClients.keyed(sandbox.baseUrl(), apiKey), MxClients.transport(registry, timeout));
  }

  @AfterEach
  void checkAgainstTheSpecAndStop() {
    try {
      OfficialSpec.assertConforms(sandbox.exchanges());
    } finally {
      sandbox.close();
    }
  }

  private MxMember member(String userId, String memberId, OAuthWindowOptions options) {
    MxUser user = mx.ensureUser(userId);
    return mx.createOAuthMember(
        new NewOAuthMember(user.guid(), memberId, "mx_bank_oauth", options));
  }

  private JsonNode requestBody(String method, String pathSuffix) throws Exception {
    MxSandbox.Exchange exchange =
        sandbox.exchanges().stream()
            .filter(e -> e.method().equals(method) && e.path().endsWith(pathSuffix))
            .findFirst()
            .orElseThrow();
    return new ObjectMapper().readTree(exchange.requestBody());
  }

  @Test
  void ensureUserCreatesOnceThenReadsTheExistingUser() {
    MxUser first = mx.ensureUser("user-1");
    MxUser again = mx.ensureUser("user-1");

    assertThat(again).isEqualTo(first);
    assertThat(first.guid()).startsWith("USR-");
    assertThat(sandbox.exchanges())
        .extracting(
            MxSandbox.Exchange::method, MxSandbox.Exchange::path, MxSandbox.Exchange::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/users", 200),
            org.assertj.core.groups.Tuple.tuple("POST", "/users", 409),
            org.assertj.core.groups.Tuple.tuple("GET", "/users/user-1", 200));
  }

  @Test
  void createsAnOAuthMemberAsMxExpectsAndReadsItOn409() throws Exception {
    MxMember first = member("user-2", "member-2", OAuthWindowOptions.browser());
    MxMember again = member("user-2", "member-2", OAuthWindowOptions.browser());

    assertThat(again.guid()).isEqualTo(first.guid());
    JsonNode body = requestBody("POST", "/members");
    assertThat(body.path("member").path("is_oauth").asBoolean()).isTrue();
    assertThat(body.path("member").path("id").asText()).isEqualTo("member-2");
    assertThat(body.path("member").path("institution_code").asText()).isEqualTo("mx_bank_oauth");
    assertThat(body.path("member").path("credentials").isArray()).isTrue();
    assertThat(body.path("member").path("credentials")).isEmpty();
    assertThat(body.path("referral_source").asText()).isEqualTo("BROWSER");
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.method().equals("POST") && e.path().endsWith("/members"))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(202, 409);
  }

  @Test
  void aNewUsersMemberOpensInTwoCallsWithItsFirstWindowAndTheUsersNextInOne() throws Exception {
    OpenedMember first = mx.openOAuthMember(toOpen("user-o", "member-o1", browser()));
    OpenedMember second = mx.openOAuthMember(toOpen("user-o", "member-o2", browser()));

    assertThat(second.member().userGuid()).isEqualTo(first.member().userGuid());
    assertThat(sandbox.exchanges())
        .extracting(MxSandbox.Exchange::method, MxSandbox.Exchange::status)
        .containsExactly(tuple("POST", 200), tuple("POST", 202), tuple("POST", 202));
    assertThat(first.firstWindowUri()).isNotEqualTo(second.firstWindowUri());
    // The window MX returned with the member is one the user signs in through.
    assertThat(
            new SandboxBrowser(sandbox.baseUrl()).completeOAuth(first.firstWindowUri(), "success"))
        .contains("oauthComplete/success", first.member().guid());
  }

  @Test
  void aKnownUserMxNoLongerHasIsCreatedAgain() throws Exception {
    String gone = mx.openOAuthMember(toOpen("user-d", "member-d1", browser())).member().userGuid();
    deleteUser(gone);

    OpenedMember opened = mx.openOAuthMember(toOpen("user-d", "member-d2", browser()));

    assertThat(opened.member().userGuid()).isNotEqualTo(gone);
    assertThat(opened.firstWindowUri()).isNotNull();
    assertThat(sandbox.exchanges())
        .extracting(
            MxSandbox.Exchange::method, MxSandbox.Exchange::path, MxSandbox.Exchange::status)
        .endsWith(
            tuple("POST", "/users/" + gone + "/members", 404),
            tuple("POST", "/users", 200),
            tuple("POST", "/users/" + opened.member().userGuid() + "/members", 202));
  }

  @Test
  void anExistingMemberOrOneThatSkipsTheAggregationOpensWithoutAWindow() {
    OAuthWindowOptions skips =
        new OAuthWindowOptions(ReferralSource.BROWSER, true, null, null, null);
    mx.openOAuthMember(toOpen("user-e", "member-e", browser()));

    assertThat(mx.openOAuthMember(toOpen("user-e", "member-e", browser())).firstWindowUri())
        .isNull();
    assertThat(mx.openOAuthMember(toOpen("user-e", "member-s", skips)).firstWindowUri()).isNull();
  }

  private static MemberToOpen toOpen(String userId, String memberId, OAuthWindowOptions options) {
    return new MemberToOpen(userId, memberId, "mx_bank_oauth", options);
  }

  /** What an MX client's operator might do at MX: delete the user, and its members with it. */
  private void deleteUser(String userGuid) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (SandboxConfig.DEFAULT_CLIENT_ID + ":" + SandboxConfig.DEFAULT_API_KEY)
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<Void> deleted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/users/" + userGuid))
                    .DELETE()
                    .header("Authorization", "Basic " + basic)
                    .header("Accept-Version", "v20250224")
                    .header("Accept", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(204);
  }

  @Test
  void institutionWithoutOAuthFailsWithoutRetry() {
    MxUser user = mx.ensureUser("user-3");

    assertThatThrownBy(
            () ->
                mx.createOAuthMember(
                    new NewOAuthMember(
                        user.guid(), "member-3", "mxbank", OAuthWindowOptions.browser())))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(MxGateway.MEMBER_CANNOT_USE_OAUTH);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).isEqualTo("Member cannot use OAuth");
            });
  }

  @Test
  void everyWindowRequestYieldsAFreshUriAndPassesTheOptionsThrough() {
    OAuthWindowOptions app =
        new OAuthWindowOptions(
            ReferralSource.APP, true, "https://app.example/back", "myapp", false);
    MxMember member = member("user-4", "member-4", app);
    OAuthWindowRequest request = new OAuthWindowRequest(member.userGuid(), member.guid(), app, 1);

    String first = mx.requestOAuthWindowUri(request);
    String second = mx.requestOAuthWindowUri(request);

    assertThat(first).isNotEqualTo(second).startsWith(sandbox.baseUrl());
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.path().endsWith("/oauth_window_uri"))
        .extracting(MxSandbox.Exchange::query)
        .containsOnly(
            "referral_source=APP&skip_aggregation=true&client_redirect_url=https%3A%2F%2Fapp.example%2Fback"
                + "&ui_message_webview_url_scheme=myapp&enable_app2app=false");
  }

  @Test
  void readsTheMemberStatus() {
    MxMember member = member("user-5", "member-5", OAuthWindowOptions.browser());

    assertThat(mx.readMemberStatus(member.userGuid(), member.guid()).connectionStatus())
        .isEqualTo("PENDING");
  }

  @Test
  void readsTheStatusOfAConnectedMemberWhileAndAfterItsFirstAggregation() throws Exception {
    sandbox.setMemberTimings(new MemberTimings(Duration.ZERO, Duration.ofMillis(500), 0));
    MxMember member = member("user-10", "member-10", OAuthWindowOptions.browser());
    String uri =
        mx.requestOAuthWindowUri(
            new OAuthWindowRequest(
                member.userGuid(), member.guid(), OAuthWindowOptions.browser(), 1));
    MxClients.completeInTheWindow(sandbox, uri, "success");

    MemberStatus during = mx.readMemberStatus(member.userGuid(), member.guid());
    assertThat(during.connectionStatus()).isEqualTo("CONNECTED");
    assertThat(during.beingAggregated()).isTrue();
    assertThat(during.successfullyAggregatedAt()).isNull();
    Awaitility.await()
        .untilAsserted(
            () -> {
              MemberStatus after = mx.readMemberStatus(member.userGuid(), member.guid());
              assertThat(after.beingAggregated()).isFalse();
              assertThat(after.successfullyAggregatedAt()).isNotBlank();
            });
  }

  /** A member connected through its window, its first aggregation done. */
  private MxMember connectedAndAggregated(String userId, String memberId) throws Exception {
    sandbox.setMemberTimings(new MemberTimings(Duration.ZERO, Duration.ofMillis(200), 0));
    MxMember member = member(userId, memberId, OAuthWindowOptions.browser());
    String uri =
        mx.requestOAuthWindowUri(
            new OAuthWindowRequest(
                member.userGuid(), member.guid(), OAuthWindowOptions.browser(), 1));
    MxClients.completeInTheWindow(sandbox, uri, "success");
    Awaitility.await()
        .until(
            () ->
                mx.readMemberStatus(member.userGuid(), member.guid()).successfullyAggregatedAt()
                    != null);
    return member;
  }

  @Test
  void anAggregationAskedForRunsOnlyThreeHoursAfterTheLastSuccess() throws Exception {
    MxMember member = connectedAndAggregated("user-agg", "member-agg");
    String first = mx.readMemberStatus(member.userGuid(), member.guid()).successfullyAggregatedAt();

    mx.aggregateMember(member.userGuid(), member.guid());
    assertThat(mx.readMemberStatus(member.userGuid(), member.guid()).beingAggregated())
        .as("within three hours of a success MX answers 202 and starts nothing")
        .isFalse();

    sandbox.clock().advance(Duration.ofHours(3).plusMinutes(1));
    mx.aggregateMember(member.userGuid(), member.guid());
    assertThat(mx.readMemberStatus(member.userGuid(), member.guid()).beingAggregated()).isTrue();
    mx.aggregateMember(member.userGuid(), member.guid());
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(
                        mx.readMemberStatus(member.userGuid(), member.guid())
                            .successfullyAggregatedAt())
                    .isNotEqualTo(first));
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.path().endsWith("/aggregate"))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(202, 202, 202);
  }

  @Test
  void anAggregationAskedForWhileMxAggregatesInTheBackgroundIsOneUnderWay() throws Exception {
    MxMember member = connectedAndAggregated("user-bg", "member-bg");
    sandbox.setMemberTimings(new MemberTimings(Duration.ZERO, Duration.ofSeconds(30), 0));

    sandbox.clock().advance(Duration.ofHours(24).plusMinutes(1));
    Awaitility.await()
        .until(() -> mx.readMemberStatus(member.userGuid(), member.guid()).beingAggregated());
    mx.aggregateMember(member.userGuid(), member.guid());

    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.path().endsWith("/aggregate"))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(409);
  }

  @Test
  void aDeletedMemberIsDeletedAgainWithoutError() {
    MxMember member = member("user-del", "member-del", OAuthWindowOptions.browser());

    mx.deleteMember(member.userGuid(), member.guid());
    mx.deleteMember(member.userGuid(), member.guid());

    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.method().equals("DELETE"))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(204, 404);
  }

  @Test
  void serverErrorsAndRateLimitsAreRetryable() {
    sandbox.setFaults(new Faults(1.0, List.of(503, 429, 500), Duration.ZERO));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> mx.ensureUser("user-6"))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(MxGateway.UNAVAILABLE);
                assertThat(failure.isNonRetryable()).isFalse();
              });
    }
    assertThat(
            registry
                .get("memberflow.mx.requests")
                .tag("api", "platform")
                .tag("operation", "create_user")
                .timers())
        .extracting(t -> t.getId().getTag("status"))
        .containsExactlyInAnyOrder("503", "429", "500");
  }

  @Test
  void aRateLimitsRetryAfterBecomesTheNextRetryDelay() {
    sandbox.setFaults(new Faults(1.0, List.of(429), Duration.ZERO));

    assertThatThrownBy(() -> mx.ensureUser("user-9"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(MxGateway.UNAVAILABLE);
              assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(2));
            });
    sandbox.setFaults(new Faults(1.0, List.of(503), Duration.ZERO));
    assertThatThrownBy(() -> mx.ensureUser("user-9"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, failure -> assertThat(failure.getNextRetryDelay()).isNull());
  }

  @Test
  void timeoutsAreRetryable() {
    sandbox.setFaults(new Faults(0, List.of(503), Duration.ofMillis(800)));
    MxClient impatient = client(SandboxConfig.DEFAULT_API_KEY, Duration.ofMillis(200));

    assertThatThrownBy(() -> impatient.ensureUser("user-7"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(MxGateway.UNAVAILABLE);
              assertThat(failure.isNonRetryable()).isFalse();
            });
    assertThat(registry.get("memberflow.mx.requests").tag("status", "timeout").timer().count())
        .isEqualTo(1);
    // The sandbox records the call once it has answered it, after its latency.
    Awaitility.await().until(() -> !sandbox.exchanges().isEmpty());
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    MxClient wrongKey = client("not-the-key", Duration.ofSeconds(5));

    assertThatThrownBy(() -> wrongKey.ensureUser("user-8"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(MxGateway.REJECTED);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("401")
                  .doesNotContain("not-the-key");
            });
  }
}
