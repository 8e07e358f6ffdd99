package io.memberflow.activities.mx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.memberflow.workflows.mx.MxGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends requests to one MX API flavour, times them, and turns MX's answers into what the
 * workflow understands: a reply for 2xx and 409 (the caller reads the existing object), and a
 * Temporal failure for everything else, retryable or not. Retries themselves are Temporal's.
 */
public final class MxHttp {

  /** A 2xx or 409 answer. */
  public record Reply(int status, JsonNode body) {
    public boolean isConflict() {
      return status == 409;
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEMBER_CANNOT_USE_OAUTH = "Member cannot use OAuth";

  private final String flavour;
  private final HttpClient client;
  private final Duration timeout;
  private final MeterRegistry registry;

  public MxHttp(String flavour, HttpClient client, Duration timeout, MeterRegistry registry) {
    this.flavour = flavour;
    this.client = client;
    this.timeout = timeout;
    this.registry = registry;
  }

  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * @param operation a short, bounded name for metrics and messages, e.g. {@code create_member}
   */
  public Reply send(String operation, HttpRequest.Builder request) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "io_error";
    try {
      HttpResponse<byte[]> response =
          client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
      outcome = Integer.toString(response.statusCode());
      return interpret(operation, response);
    } catch (HttpTimeoutException e) {
      outcome = "timeout";
      throw unavailable(operation + " timed out after " + timeout, null);
    } catch (IOException e) {
      throw unavailable(operation + " failed: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(operation + " was interrupted", null);
    } finally {
      sample.stop(
          Timer.builder("memberflow.mx.requests")
              .description("Requests to MX by API flavour, operation and HTTP status")
              .tag("api", flavour)
              .tag("operation", operation)
              .tag("status", outcome)
              .register(registry));
    }
  }

  private Reply interpret(String operation, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    JsonNode body = parse(response.body());
    if ((status >= 200 && status < 300) || status == 409) {
      return new Reply(status, body);
    }
    String message = errorMessage(body).orElse("no error message");
    String description = "MX answered " + status + " to " + operation + ": " + message;
    if (status == 429 || status >= 500) {
      throw unavailable(description, retryAfter(response));
    }
    if (status == 400 && message.contains(MEMBER_CANNOT_USE_OAUTH)) {
      throw ApplicationFailure.newNonRetryableFailure(
          MEMBER_CANNOT_USE_OAUTH, MxGateway.MEMBER_CANNOT_USE_OAUTH);
    }
    throw ApplicationFailure.newNonRetryableFailure(description, MxGateway.REJECTED);
  }

  private static ApplicationFailure unavailable(String description, Duration retryAfter) {
    return ApplicationFailure.newBuilder()
        .setMessage(description)
        .setType(MxGateway.UNAVAILABLE)
        .setNextRetryDelay(retryAfter)
        .build();
  }

  /** MX's 429 may say when to come back; Temporal then waits that long instead of its backoff. */
  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.matches("\\d{1,5}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)))
        .orElse(null);
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** MX's error body is {@code {"error": {"message": ...}}}. */
  private static Optional<String> errorMessage(JsonNode body) {
    JsonNode message = body.path("error").path("message");
    return message.isTextual() ? Optional.of(message.asText()) : Optional.empty();
  }
}
