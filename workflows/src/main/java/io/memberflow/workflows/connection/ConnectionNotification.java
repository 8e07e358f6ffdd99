package io.memberflow.workflows.connection;

import java.time.Instant;

/**
 * One outcome to tell the integrator about; {@code id} is stable across delivery retries. {@code
 * mxConnectionStatus} is MX's status where it explains the outcome (a failed aggregation, the
 * user's or the provider's trouble, a closed member, a repair).
 */
public record ConnectionNotification(
    String id,
    NotificationType type,
    Instant occurredAt,
    String connectionId,
    String userId,
    String memberId,
    String memberGuid,
    String institutionCode,
    ConnectionState state,
    int attempt,
    ErrorReason errorReason,
    String mxConnectionStatus) {}
