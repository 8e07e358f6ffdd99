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

    TooSoon(ConnectionConflict refused, Instant now) {
      super(refused.title(), refused.getMessage(), refused.connection);
      this.seconds =
          Math.max(
              1, Duration.between(now, refused.connection.refreshAvailableAt()).toSeconds() + 1);
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
