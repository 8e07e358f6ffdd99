package io.memberflow.service.connections;

import io.memberflow.workflows.connection.ConnectionView;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** How far a request got: the connection as it is now, and whether the request is done. */
public record Handled(ConnectionView connection, Progress progress) {

  public enum Progress {
    /** This request started the connection: {@code 201 Created}. */
    CREATED,
    /** Done, and the connection shows it: {@code 200 OK}. */
    DONE,
    /**
     * Taken, but not done within the wait (MX slow to hand out a window, Temporal busy): {@code 202
     * Accepted}; it goes on, and a read of the connection later shows its result.
     */
    UNDER_WAY
  }

  /** Windows come within seconds when MX is well: a second is a fair first pause. */
  private static final String RETRY_AFTER_SECONDS = "1";

  /**
   * The answer to the request: 201 for the start that created the connection, 200 for what is done,
   * 202 for what is taken but still under way (read the connection at {@code Location} after {@code
   * Retry-After}).
   *
   * @param locate whether a 200 names the connection's {@code Location} too (a start does)
   */
  public <T> ResponseEntity<T> answer(T body, boolean locate) {
    String location = "/v1/connections/" + connection.connectionId();
    return switch (progress) {
      case CREATED ->
          ResponseEntity.status(HttpStatus.CREATED)
              .header(HttpHeaders.LOCATION, location)
              .body(body);
      case DONE ->
          locate
              ? ResponseEntity.ok().header(HttpHeaders.LOCATION, location).body(body)
              : ResponseEntity.ok(body);
      case UNDER_WAY ->
          ResponseEntity.status(HttpStatus.ACCEPTED)
              .header(HttpHeaders.LOCATION, location)
              .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
              .body(body);
    };
  }
}
