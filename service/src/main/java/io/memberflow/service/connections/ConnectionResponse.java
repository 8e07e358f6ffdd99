package io.memberflow.service.connections;

import io.memberflow.workflows.connection.AggregationState;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.FailureReason;
import io.memberflow.workflows.connection.Transition;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.time.Instant;
import java.util.List;

/**
 * A connection as the API shows it. Mapped from the workflow's query type, so that the public JSON
 * changes only when this type does, not with what the workflow keeps.
 */
public record ConnectionResponse(
    String connectionId,
    String userId,
    String memberId,
    String institutionCode,
    String mxApi,
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
    Instant refreshAvailableAt,
    boolean repairing,
    List<String> formerMemberGuids) {

  static ConnectionResponse of(ConnectionView view) {
    return new ConnectionResponse(
        view.connectionId(),
        view.userId(),
        view.memberId(),
        view.institutionCode(),
        view.mxApi().wireName(),
        view.windowOptions(),
        view.state(),
        view.userGuid(),
        view.memberGuid(),
        view.attempt(),
        view.maxAttempts(),
        view.oauthWindowUri(),
        view.lastErrorReason(),
        view.failureReason(),
        view.failureDetail(),
        view.transitions(),
        view.aggregation(),
        view.aggregationMxStatus(),
        view.mxStatus(),
        view.successfullyAggregatedAt(),
        view.refreshAvailableAt(),
        view.repairing(),
        view.formerMemberGuids());
  }
}
