package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A stand-in for the integrator's backend in development: receives memberflow's webhooks, checks
 * their Standard Webhooks signature with the configured secret, and lists what arrived.
 */
final class WebhookInbox {

  private final Webhook verifier;
  private final List<ReceivedWebhook> received = new CopyOnWriteArrayList<>();

  WebhookInbox(String secret) {
    try {
      this.verifier = new Webhook(secret);
    } catch (Exception e) {
      throw new IllegalArgumentException("webhook secret is not a valid whsec_ secret", e);
    }
  }

  void register(SandboxHttp http) {
    http.on("POST", "/_sandbox/webhooks", this::receive);
    http.on(
        "GET", "/_sandbox/webhooks", request -> Response.json(200, Map.of("webhooks", received)));
  }

  List<ReceivedWebhook> received() {
    return List.copyOf(received);
  }

  private Response receive(Request request) {
    Map<String, List<String>> headers =
        request.exchange().getRequestHeaders().entrySet().stream()
            .collect(
                Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    boolean valid;
    try {
      verifier.verify(request.bodyText(), headers);
      valid = true;
    } catch (WebhookVerificationException e) {
      valid = false;
    }
    JsonNode payload = request.json();
    received.add(
        new ReceivedWebhook(
            request.header("webhook-id"),
            payload == null ? null : payload.path("type").asText(null),
            valid,
            payload));
    return valid ? Response.noContent() : Response.error(401, "Invalid webhook signature");
  }
}
