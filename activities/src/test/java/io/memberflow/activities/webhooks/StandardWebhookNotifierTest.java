package io.memberflow.activities.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.ReceivedWebhook;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.NotificationType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signed delivery to a receiver that verifies Standard Webhooks signatures (the sandbox inbox). */
class StandardWebhookNotifierTest {

  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("integrator-secret-0123456789".getBytes());

  private final MxSandbox receiver =
      MxSandbox.start(SandboxConfig.defaults().withWebhookSecret(SECRET));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    receiver.close();
  }

  private StandardWebhookNotifier notifier(String url, String secret) {
    return new StandardWebhookNotifier(
        List.of(new WebhookEndpoint(URI.create(url), secret)),
        new ObjectMapper(),
        HttpClient.newHttpClient(),
        Duration.ofSeconds(2),
        Clock.systemUTC(),
        registry);
  }

  private static ConnectionNotification impeded() {
    return new ConnectionNotification(
        "msg_42",
        NotificationType.ACTION_REQUIRED,
        Instant.parse("2026-11-23T10:00:00Z"),
        "conn-1",
        "user-1",
        "conn-1",
        "MBR-1",
        "mx_bank_oauth",
        ConnectionState.ACTION_REQUIRED,
        1,
        ErrorReason.IMPEDED,
        null);
  }

  @Test
  void deliversASignedWebhookWithTheNotificationsId() {
    notifier(receiver.baseUrl() + "/_sandbox/webhooks", SECRET).deliver(impeded());

    ReceivedWebhook received = receiver.receivedWebhooks().get(0);
    assertThat(received.signatureValid()).isTrue();
    assertThat(received.webhookId()).isEqualTo("msg_42");
    assertThat(received.type()).isEqualTo("connection.action_required");
    assertThat(received.payload().path("data").path("error_reason").asText()).isEqualTo("IMPEDED");
    assertThat(received.payload().path("data").path("member_guid").asText()).isEqualTo("MBR-1");
    assertThat(
            registry.get("memberflow.notifications").tag("outcome", "delivered").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aReceiverThatRefusesMakesTheActivityRetryWithTheSameId() {
    String wrongSecret =
        "whsec_" + Base64.getEncoder().encodeToString("some-other-secret-0123456789".getBytes());
    StandardWebhookNotifier notifier =
        notifier(receiver.baseUrl() + "/_sandbox/webhooks", wrongSecret);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> notifier.deliver(impeded()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.isNonRetryable()).isFalse();
                assertThat(failure.getOriginalMessage()).contains("answered 401");
              });
    }
    assertThat(receiver.receivedWebhooks())
        .extracting(ReceivedWebhook::webhookId)
        .containsExactly("msg_42", "msg_42");
  }

  @Test
  void anUnreachableReceiverIsRetryable() {
    int closedPort = receiver.port();
    receiver.close();

    assertThatThrownBy(
            () -> notifier("http://localhost:" + closedPort + "/hook", SECRET).deliver(impeded()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isFalse());
    assertThat(registry.get("memberflow.notifications").tag("outcome", "failed").counter().count())
        .isEqualTo(1);
  }
}
