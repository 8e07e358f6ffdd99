package io.memberflow.workflows.connection;

import java.time.Instant;

/** The time and the unique ids a connection uses; a workflow's are replayed as they were. */
public interface ConnectionEnvironment {

  Instant now();

  String newId();
}
