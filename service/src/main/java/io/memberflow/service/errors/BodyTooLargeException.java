package io.memberflow.service.errors;

import java.io.IOException;

/** Thrown while reading a request body that passes the configured limit. */
public class BodyTooLargeException extends IOException {
  public BodyTooLargeException(long limit) {
    super("request bodies are limited to " + limit + " bytes");
  }
}
