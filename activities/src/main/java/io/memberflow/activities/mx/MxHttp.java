package io.memberflow.activities.mx;

import io.memberflow.activities.mx.MxBodies.ErrorBody;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse;
import org.springframework.web.client.RestClientException;

/**
 * Sends one MX API's requests, times them, and turns MX's answers into what the workflow
 * understands: the body of a 2xx (and nothing for a 409 to a creation, whose caller reads the
 * existing object), and a Temporal failure for everything else, retryable or not. Retries
 * themselves are Temporal's; a {@code Retry-After} becomes the failure's next retry delay.
 */
public final class MxHttp {

  private static final String MEMBER_CANNOT_USE_OAUTH = "Member cannot use OAuth";

  /** What MX answered, read once; an unreadable body is null. */
  private record Answer<T>(int status, T body, ErrorBody error, Duration retryAfter) {

    boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    String errorMessage() {
      return error == null || error.error() == null || error.error().message() == null
          ? "no error message"
          : error.error().message();
    }
  }

  private final MxApi api;
  private final RestClient rest;
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * @param rest a client bound to the API's base URL and carrying its fixed headers
   */
  public MxHttp(MxApi api, RestClient rest, MeterRegistry registry) {
    this.api = api;
    this.rest = rest;
    this.registry = registry;
  }

  /**
   * The body of MX's 2xx answer; anything else is thrown as the workflow's failure types.
   *
   * @param operation a short, bounded name for metrics and messages, e.g. {@code read_member}
   */
  public <T> T send(
      String operation,
      Class<T> type,
      Function<RestClient, RestClient.RequestHeadersSpec<?>> request) {
    return exchange(operation, type, request, Set.of()).body();
  }

  /**
   * For a call whose answer matters only as done or not: done on any 2xx, and on {@code alsoDone}
   * (a delete's 404: gone already); anything else is thrown as for {@link #send}.
   */
  public void perform(
      String operation,
      Set<Integer> alsoDone,
      Function<RestClient, RestClient.RequestHeadersSpec<?>> request) {
    exchange(operation, Void.class, request, alsoDone);
  }

  /**
   * MX's answer to a creation: the object it created, or the status it refused with, one the caller
   * expects (409: it exists already).
   */
  public record Creation<T>(T created, int refusedWith) {

    public boolean exists() {
      return refusedWith == 409;
    }
  }

  /**
   * Like {@link #send} for a creation: MX's 409 (it exists already), and any of {@code
   * alsoExpected}, are answered as a refusal instead of thrown.
   */
  public <T> Creation<T> create(
      String operation,
      Class<T> type,
      Function<RestClient, RestClient.RequestHeadersSpec<?>> request,
      Integer... alsoExpected) {
    Set<Integer> expected = new HashSet<>(List.of(alsoExpected));
    expected.add(409);
    Answer<T> answer = exchange(operation, type, request, expected);
    return answer.isSuccess()
        ? new Creation<>(answer.body(), 0)
        : new Creation<>(null, answer.status());
  }

  private <T> Answer<T> exchange(
      String operation,
      Class<T> type,
      Function<RestClient, RestClient.RequestHeadersSpec<?>> request,
      Set<Integer> notThrown) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "io_error";
    try {
      Answer<T> answer = request.apply(rest).exchange((sent, response) -> read(response, type));
      outcome = Integer.toString(answer.status());
      return accept(operation, type, answer, notThrown);
    } catch (ResourceAccessException e) {
      if (e.getCause() instanceof InterruptedIOException
          || e.getCause() instanceof HttpTimeoutException) {
        outcome = "timeout";
        throw unavailable(operation + " timed out", null);
      }
      throw unavailable(operation + " failed: " + e.getMostSpecificCause().getMessage(), null);
    } finally {
      sample.stop(timer(operation, outcome));
    }
  }

  /**
   * MX's status codes, mapped once for all three APIs: 408, 429 and 5xx are worth retrying; "Member
   * cannot use OAuth" and every other 4xx are final.
   */
  private static <T> Answer<T> accept(
      String operation, Class<T> type, Answer<T> answer, Set<Integer> notThrown) {
    int status = answer.status();
    if (answer.isSuccess()) {
      if (answer.body() == null && type != Void.class) {
        throw rejected("MX answered " + status + " to " + operation + " without a readable body");
      }
      return answer;
    }
    if (notThrown.contains(status)) {
      return answer;
    }
    String message = answer.errorMessage();
    String description = "MX answered " + status + " to " + operation + ": " + message;
    if (status == 408 || status == 429 || status >= 500) {
      throw unavailable(description, answer.retryAfter());
    }
    if (status == 400 && message.contains(MEMBER_CANNOT_USE_OAUTH)) {
      throw ApplicationFailure.newNonRetryableFailure(
          MEMBER_CANNOT_USE_OAUTH, MxGateway.MEMBER_CANNOT_USE_OAUTH);
    }
    throw rejected(description);
  }

  private static <T> Answer<T> read(ConvertibleClientHttpResponse response, Class<T> type)
      throws IOException {
    int status = response.getStatusCode().value();
    if (response.getStatusCode().is2xxSuccessful()) {
      return new Answer<>(status, readable(response, type), null, null);
    }
    return new Answer<>(
        status, null, readable(response, ErrorBody.class), retryAfter(response.getHeaders()));
  }

  /** A proxy's HTML page or a truncated body is not MX's JSON: it reads as no body at all. */
  private static <T> T readable(ConvertibleClientHttpResponse response, Class<T> type) {
    try {
      return response.bodyTo(type);
    } catch (RestClientException e) {
      return null;
    }
  }

  /** MX's 429 may say when to come back; Temporal then waits that long instead of its backoff. */
  private static Duration retryAfter(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
    return value != null && value.matches("\\d{1,5}")
        ? Duration.ofSeconds(Long.parseLong(value))
        : null;
  }

  /** A 2xx answer without a field MX promises is MX's fault, not the caller's. */
  public static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw rejected("MX answered without " + field);
    }
    return value;
  }

  static ApplicationFailure rejected(String description) {
    return ApplicationFailure.newNonRetryableFailure(description, MxGateway.REJECTED);
  }

  private static ApplicationFailure unavailable(String description, Duration retryAfter) {
    return ApplicationFailure.newBuilder()
        .setMessage(description)
        .setType(MxGateway.UNAVAILABLE)
        .setNextRetryDelay(retryAfter)
        .build();
  }

  /** Registered once per operation and outcome, not per request. */
  private Timer timer(String operation, String outcome) {
    return timers.computeIfAbsent(
        operation + ' ' + outcome,
        key ->
            Timer.builder("memberflow.mx.requests")
                .description("Requests to MX by API flavour, operation and HTTP status")
                .tag("api", api.wireName())
                .tag("operation", operation)
                .tag("status", outcome)
                .register(registry));
  }
}
