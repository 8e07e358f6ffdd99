package io.memberflow.workflows.connection;

import java.time.Instant;

public record Transition(
    ConnectionState from, ConnectionState to, ConnectionEvent event, Instant at) {}
