package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.util.List;

/**
 * What a connection looks like from outside: the query result and the body of every API answer.
 * {@code oauthWindowUri} is set only while a window is open and unused; {@code aggregation} follows
 * the aggregation the connection follows (after CONNECTED, a repair or a refresh), and {@code
 * aggregationMxStatus} is MX's status when it failed. {@code mxStatus} is MX's status of the member
 * when it was last read, {@code refreshAvailableAt} when MX takes a refresh again (null: now, or
 * not connected), and {@code repairing} says a reconnect's attempts are under way. {@code
 * formerMemberGuids} are the members it followed before {@code memberGuid}: a repair's OAuth can
 * end on another member of the same MX user.
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
    String aggregationMxStatus,
    String mxStatus,
    String successfullyAggregatedAt,
    java.time.Instant refreshAvailableAt,
    boolean repairing,
    List<String> formerMemberGuids) {}
