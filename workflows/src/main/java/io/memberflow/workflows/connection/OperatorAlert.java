package io.memberflow.workflows.connection;

import java.time.Instant;

public record OperatorAlert(
    String connectionId,
    String institutionCode,
    ErrorReason errorReason,
    String memberGuid,
    Instant occurredAt) {}
