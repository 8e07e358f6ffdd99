package io.memberflow.activities.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.standardwebhooks.Webhook;
import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications as Standard Webhooks: the JSON body is signed with each endpoint's secret,
 * and {@code webhook-id} is the notification's id, the same on every retry. Any endpoint that does
 * not answer 2xx fails the activity, and Temporal retries it; receivers drop the duplicates the
 * others then get by that id.
 */
public final class StandardWebhookNotifier implements ConnectionNotifier {

  private static final Logger log = LoggerFactory.getLogger(StandardWebhookNotifier.class);

  private record SigningEndpoint(WebhookEndpoint endpoint, Webhook signer) {}

  /** The Standard Webhooks envelope: {@code type}, {@code timestamp}, {@code data}. */
  record Payload(String type, String timestamp, Data data) {}

  /**
   * What integrators read; a null {@code error_reason} or {@code mx_connection_status} (MX's status
   * after a failed aggregation) is sent as null, not left out.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Data(
      String connectionId,
      String userId,
      String memberId,
      String memberGuid,
      String institutionCode,
      String state,
      int attempt,
      String errorReason,
      String mxConnectionStatus) {}

  private final List<SigningEndpoint> endpoints = new ArrayList<>();
  private final ObjectMapper json;
  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;
  private final MeterRegistry registry;

  public StandardWebhookNotifier(
      List<WebhookEndpoint> endpoints,
      ObjectMapper json,
      HttpClient client,
      Duration timeout,
      Clock clock,
      MeterRegistry registry) {
    for (WebhookEndpoint endpoint : endpoints) {
      try {
        this.endpoints.add(new SigningEndpoint(endpoint, new Webhook(endpoint.secret())));
      } catch (Exception e) {
        throw new IllegalArgumentException(
            "webhook secret for " + endpoint.url() + " is not a valid whsec_ secret", e);
      }
    }
    this.json = json;
    this.client = client;
    this.timeout = timeout;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public void deliver(ConnectionNotification notification) {
    String type = notification.type().eventType();
    String payload = payload(notification);
    long timestamp = clock.instant().getEpochSecond();
    List<String> failures = new ArrayList<>();
    for (SigningEndpoint endpoint : endpoints) {
      String outcome = send(endpoint, notification.id(), timestamp, payload);
      registry
          .counter(
              "memberflow.notifications",
              "type",
              type,
              "outcome",
              outcome == null ? "delivered" : "failed")
          .increment();
      if (outcome != null) {
        failures.add(endpoint.endpoint().url() + ": " + outcome);
      }
    }
    if (!failures.isEmpty()) {
      throw ApplicationFailure.newFailure(
          "webhook " + notification.id() + " not delivered to " + failures,
          "WebhookDeliveryFailed");
    }
  }

  /** Returns null when delivered, else why not. */
  private String send(SigningEndpoint endpoint, String id, long timestamp, String payload) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint.endpoint().url())
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("webhook-id", id)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header("webhook-signature", endpoint.signer().sign(id, timestamp, payload))
              .POST(HttpRequest.BodyPublishers.ofString(payload))
              .build();
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        return null;
      }
      return "answered " + status;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + " " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      log.error("Could not sign webhook {}", id, e);
      return "signing failed";
    }
  }

  String payload(ConnectionNotification n) {
    Data data =
        new Data(
            n.connectionId(),
            n.userId(),
            n.memberId(),
            n.memberGuid(),
            n.institutionCode(),
            n.state().name(),
            n.attempt(),
            n.errorReason() == null ? null : n.errorReason().name(),
            n.mxConnectionStatus());
    try {
      return json.writeValueAsString(
          new Payload(n.type().eventType(), n.occurredAt().toString(), data));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notification could not be written as JSON", e);
    }
  }
}
