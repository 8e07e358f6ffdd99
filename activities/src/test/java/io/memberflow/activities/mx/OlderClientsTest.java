package io.memberflow.activities.mx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.activities.MxClients;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Atrium and Nexus clients send, and that they map errors like the Platform client. */
class OlderClientsTest {

  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private MxSandbox.Exchange first(String method, String pathSuffix) {
    return sandbox.exchanges().stream()
        .filter(e -> e.method().equals(method) && e.path().endsWith(pathSuffix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void atriumSendsItsHeadersAndIdentifierAndFindsExistingObjectsByListing() throws Exception {
    MxClient atrium = MxClients.atrium(sandbox, registry);
    MxUser user = atrium.ensureUser("atrium-user");
    MxMember member =
        atrium.createOAuthMember(
            new NewOAuthMember(
                user.guid(), "atrium-member", "mx_bank_oauth", OAuthWindowOptions.browser()));

    assertThat(atrium.ensureUser("atrium-user")).isEqualTo(user);
    assertThat(
            atrium
                .createOAuthMember(
                    new NewOAuthMember(
                        user.guid(),
                        "atrium-member",
                        "mx_bank_oauth",
                        OAuthWindowOptions.browser()))
                .guid())
        .isEqualTo(member.guid());

    MxSandbox.Exchange create = first("POST", "/members");
    assertThat(create.requestHeaders())
        .containsEntry("Mx-api-key", SandboxConfig.DEFAULT_API_KEY)
        .containsEntry("Mx-client-id", SandboxConfig.DEFAULT_CLIENT_ID)
        .containsEntry("Accept", "application/vnd.mx.atrium.v1+json");
    JsonNode body = new ObjectMapper().readTree(create.requestBody());
    assertThat(body.path("member").path("identifier").asText()).isEqualTo("atrium-member");
    assertThat(body.path("member").path("is_oauth").asBoolean()).isTrue();
    assertThat(sandbox.exchanges())
        .extracting(
            MxSandbox.Exchange::method, MxSandbox.Exchange::path, MxSandbox.Exchange::status)
        .contains(
            org.assertj.core.groups.Tuple.tuple("GET", "/atrium/users", 200),
            org.assertj.core.groups.Tuple.tuple(
                "GET", "/atrium/users/" + user.guid() + "/members", 200));
  }

  @Test
  void everyFlavourAggregatesAndDeletesItsMembers() {
    for (MxClient client :
        List.of(MxClients.atrium(sandbox, registry), MxClients.nexus(sandbox, registry))) {
      MxUser user = client.ensureUser("user-" + client.hashCode());
      MxMember member =
          client.createOAuthMember(
              new NewOAuthMember(
                  user.guid(),
                  "member-" + client.hashCode(),
                  "mx_bank_oauth",
                  OAuthWindowOptions.browser()));

      client.aggregateMember(user.guid(), member.guid());
      client.deleteMember(user.guid(), member.guid());
      client.deleteMember(user.guid(), member.guid());
    }
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.path().endsWith("/aggregate") || e.method().equals("DELETE"))
        .extracting(MxSandbox.Exchange::method, MxSandbox.Exchange::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", 202),
            org.assertj.core.groups.Tuple.tuple("DELETE", 204),
            org.assertj.core.groups.Tuple.tuple("DELETE", 404),
            org.assertj.core.groups.Tuple.tuple("POST", 202),
            org.assertj.core.groups.Tuple.tuple("DELETE", 204),
            org.assertj.core.groups.Tuple.tuple("DELETE", 404));
  }

  @Test
  void nexusSendsItsSessionAndMediaType() {
    MxClient nexus = MxClients.nexus(sandbox, registry);
    MxUser user = nexus.ensureUser("nexus-user");
    assertThat(nexus.ensureUser("nexus-user")).isEqualTo(user);

    MxSandbox.Exchange create = first("POST", "/nexus/users");
    assertThat(create.requestHeaders())
        .containsKey("Md-session-token")
        .containsEntry("Accept", "application/vnd.mx.nexus.v1+json")
        .containsEntry("Content-type", "application/vnd.mx.nexus.v1+json");
    assertThat(
            registry
                .get("memberflow.mx.requests")
                .tag("api", "nexus")
                .tag("operation", "create_session")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void errorsMapTheSameForEveryFlavour() {
    for (MxClient client :
        List.of(
            MxClients.platform(sandbox, registry),
            MxClients.atrium(sandbox, registry),
            MxClients.nexus(sandbox, registry))) {
      MxUser user = client.ensureUser("errors-" + client);
      assertThatThrownBy(
              () ->
                  client.createOAuthMember(
                      new NewOAuthMember(user.guid(), "m", "mxbank", OAuthWindowOptions.browser())))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(MxGateway.MEMBER_CANNOT_USE_OAUTH);
                assertThat(f.isNonRetryable()).isTrue();
              });
      sandbox.setFaults(new Faults(1.0, List.of(503), Duration.ZERO));
      assertThatThrownBy(() -> client.ensureUser("x"))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(MxGateway.UNAVAILABLE);
                assertThat(f.isNonRetryable()).isFalse();
              });
      sandbox.setFaults(Faults.NONE);
    }
    MxClient wrongKey =
        MxClient.atrium(
            MxClients.keyed(sandbox.atriumBaseUrl(), "wrong"), MxClients.transport(registry));
    assertThatThrownBy(() -> wrongKey.ensureUser("y"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(MxGateway.REJECTED);
              assertThat(f.getOriginalMessage()).contains("401").doesNotContain("wrong");
            });
  }
}
