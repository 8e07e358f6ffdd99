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

  /** An answer from MX; {@link #send} only returns 2xx ones, {@link #create} 409 too. */
  public record Reply(int status, JsonNode body, Duration retryAfter) {
    public boolean isConflict() {
      return status == 409;
    }

    /** MX's numeric error code, where the flavour sends one ({@code {"error": {"code": ...}}}). */
    public int errorCode() {
      return body.path("error").path("code").asInt(0);
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
   * Sends a request and maps the answer: a 2xx comes back, everything else is thrown as the
   * workflow's failure types.
   *
   * @param operation a short, bounded name for metrics and messages, e.g. {@code read_member}
   */
  public Reply send(String operation, HttpRequest.Builder request) {
    return accept(operation, exchange(operation, request), false);
  }

  /** Like {@link #send} for a creation, where a 409 (it exists already) comes back too. */
  public Reply create(String operation, HttpRequest.Builder request) {
    return accept(operation, exchange(operation, request), true);
  }

  /**
   * Sends a request and returns whatever MX answered, for a caller that handles some errors itself
   * before {@link #accept}; only network trouble and timeouts are thrown (retryable).
   */
  public Reply exchange(String operation, HttpRequest.Builder request) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "io_error";
    try {
      HttpResponse<byte[]> response =
          client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
      outcome = Integer.toString(response.statusCode());
      return new Reply(response.statusCode(), parse(response.body()), retryAfter(response));
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

  /**
   * Returns a 2xx answer (and a 409 where {@code conflictExpected}); throws any other as the
   * workflow's failure types.
   */
  public Reply accept(String operation, Reply reply, boolean conflictExpected) {
    int status = reply.status();
    if ((status >= 200 && status < 300) || (conflictExpected && status == 409)) {
      return reply;
    }
    String message = errorMessage(reply.body()).orElse("no error message");
    String description = "MX answered " + status + " to " + operation + ": " + message;
    if (status == 408 || status == 429 || status >= 500) {
      throw unavailable(description, reply.retryAfter());
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
