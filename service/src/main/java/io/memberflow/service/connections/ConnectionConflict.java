package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.workflows.connection.ConnectionView;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the connection's state did not allow, or that another request beat to it: 409, with the
 * connection as it is, so that the caller knows what did apply.
 */
class ConnectionConflict extends ApiException {

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
