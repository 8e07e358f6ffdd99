package io.memberflow.service.errors;

import org.springframework.http.HttpStatus;

/**
 * Temporal refused a call for its rate limits (RESOURCE_EXHAUSTED): nothing was done, and the
 * caller should slow down rather than hear that the service is down. Answered 429 with {@code
 * Retry-After}.
 */
public class TemporalBusy extends ApiException {

  static final String RETRY_AFTER_SECONDS = "1";

  @Override
  public Long retryAfterSeconds() {
    return Long.valueOf(RETRY_AFTER_SECONDS);
  }

  public TemporalBusy() {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many requests",
        "Temporal is at its request limits; nothing was done, try again in a second");
  }
}
