package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.workflows.connection.ConnectionView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the connection's state did not allow, or that another request beat to it: 409, with the
 * connection as it is, so that the caller knows what did apply.
 */
class ConnectionConflict extends ApiException {

  /** A refresh MX would not take yet: {@code Retry-After} says when it would. */
  static final class TooSoon extends ConnectionConflict {
    private final long seconds;

    TooSoon(String detail, ConnectionView connection, Instant now) {
      super("Too soon for MX", detail, connection);
      Instant from = connection.refreshAvailableAt();
      this.seconds = from == null ? 1 : Math.max(1, Duration.between(now, from).toSeconds() + 1);
    }

    @Override
    public Long retryAfterSeconds() {
      return seconds;
    }
  }

  final transient ConnectionView connection;

  ConnectionConflict(String title, String detail, ConnectionView connection) {
    super(
        HttpStatus.CONFLICT,
        title,
        detail,
        Map.of("state", connection.state(), "connection", ConnectionResponse.of(connection)));
    this.connection = connection;
  }
}
