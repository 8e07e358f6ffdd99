package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.util.List;

/**
 * What a connection looks like from outside: the query result and the body of every API answer.
 * {@code oauthWindowUri} is set only while a window is open and unused; {@code aggregation} follows
 * the member's first aggregation after CONNECTED, and {@code aggregationMxStatus} is MX's status
 * when it failed.
 */
public record ConnectionView(
    String connectionId,
    String userId,
    String memberId,
    String institutionCode,
    MxApi mxApi,
    OAuthWindowOptions windowOptions,
    ConnectionState state,
    String userGuid,
    String memberGuid,
    int attempt,
    int maxAttempts,
    String oauthWindowUri,
    ErrorReason lastErrorReason,
    FailureReason failureReason,
    String failureDetail,
    List<Transition> transitions,
    AggregationState aggregation,
    String aggregationMxStatus) {}
