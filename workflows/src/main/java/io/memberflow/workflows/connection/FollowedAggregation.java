package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MemberStatus;
import java.util.Objects;

/**
 * The aggregation a connection follows: the first one after CONNECTED, the one after a repair, or a
 * refresh. Integrators fetch accounts once MX has finished it. Followed by reading MX until MX
 * reports it ended.
 */
final class FollowedAggregation {

  private AggregationState state;
  private String mxStatus;
  private MemberStatus lastRead;

  /** MX's {@code successfully_aggregated_at} before this aggregation: only a newer one ends it. */
  private String before;

  FollowedAggregation() {}

  /** As an earlier run of the connection left it. */
  FollowedAggregation(AggregationState state, String mxStatus) {
    this.state = state;
    this.mxStatus = mxStatus;
  }

  void skip() {
    state = AggregationState.SKIPPED;
  }

  /** Follows an aggregation that ends with a success newer than {@code lastSuccess}. */
  void start(String lastSuccess) {
    state = AggregationState.AGGREGATING;
    mxStatus = null;
    lastRead = null;
    before = lastSuccess;
  }

  boolean isFollowed() {
    return state == AggregationState.AGGREGATING;
  }

  /** How MX's answer ends the aggregation; null while it goes on, or when MX could not be read. */
  AggregationState endedBy(MemberStatus status) {
    lastRead = status == null ? lastRead : status;
    if (status == null || Boolean.TRUE.equals(status.beingAggregated())) {
      return null;
    }
    if (!status.reportsConnected()) {
      return AggregationState.FAILED;
    }
    String success = status.successfullyAggregatedAt();
    return success != null && !Objects.equals(success, before) ? AggregationState.DATA_READY : null;
  }

  /** Ends it; a failure keeps what MX last reported of the member. */
  void end(AggregationState outcome) {
    state = outcome;
    mxStatus =
        outcome == AggregationState.FAILED && lastRead != null ? lastRead.connectionStatus() : null;
  }

  AggregationState state() {
    return state;
  }

  /** MX's status when the aggregation failed; null otherwise. */
  String mxStatus() {
    return mxStatus;
  }
}
