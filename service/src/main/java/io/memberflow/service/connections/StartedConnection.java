package io.memberflow.service.connections;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.memberflow.workflows.connection.ConnectionView;

/** The answer to a start: the connection and a token for the browser that will relay for it. */
public record StartedConnection(@JsonUnwrapped ConnectionResponse connection, String browserToken) {

  public StartedConnection(ConnectionView view, String browserToken) {
    this(ConnectionResponse.of(view), browserToken);
  }
}
