package io.memberflow.service.connections;

import io.memberflow.workflows.connection.ConnectionView;

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
}
