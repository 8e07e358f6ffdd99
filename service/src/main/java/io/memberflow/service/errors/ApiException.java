package io.memberflow.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A request the API refuses, with the status and the reason the caller will read. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String title;
  private final transient Map<String, Object> properties;

  public ApiException(HttpStatus status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  /**
   * With more for the caller than the reason: members of the problem detail beside {@code detail}.
   */
  protected ApiException(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.properties = properties;
  }

  public Map<String, Object> properties() {
    return properties;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /**
   * In how many seconds the request may succeed, as {@code Retry-After}; null: not said. A service
   * that is unavailable for now always says when to try again.
   */
  public Long retryAfterSeconds() {
    return status == HttpStatus.SERVICE_UNAVAILABLE
        ? Long.valueOf(TemporalBusy.RETRY_AFTER_SECONDS)
        : null;
  }
}
