package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MemberStatus;

/**
 * The member's first aggregation after CONNECTED: integrators fetch accounts once MX has finished
 * it. Followed by reading MX until MX reports it ended.
 */
final class FirstAggregation {

  private AggregationState state;
  private String mxStatus;
  private MemberStatus lastRead;

  void skip() {
    state = AggregationState.SKIPPED;
  }

  void start() {
    state = AggregationState.AGGREGATING;
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
    return status.successfullyAggregatedAt() != null ? AggregationState.DATA_READY : null;
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
