package io.memberflow.workflows.notifications;

import io.memberflow.workflows.connection.ErrorReason;
import java.time.Instant;

public record OperatorAlert(
    String connectionId,
    String institutionCode,
    ErrorReason errorReason,
    String memberGuid,
    Instant occurredAt) {}
