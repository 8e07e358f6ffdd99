package io.memberflow.workflows.connection;

/**
 * What a start is told: the connection once its first window is out (or it has ended), and whether
 * this start is the one that created it.
 */
public record StartAnswer(ConnectionView connection, boolean created) {}
