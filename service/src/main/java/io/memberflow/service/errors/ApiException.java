package io.memberflow.service.errors;

import org.springframework.http.HttpStatus;

/** A request the API refuses, with the status and the reason the caller will read. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String title;

  public ApiException(HttpStatus status, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }
}
