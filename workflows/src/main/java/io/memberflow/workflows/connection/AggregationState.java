package io.memberflow.workflows.connection;

/**
 * The member's first aggregation after CONNECTED, as MX reports it: integrators fetch accounts once
 * it is DATA_READY. Null for connections that never connected.
 */
public enum AggregationState {
  /** MX is fetching the member's data. */
  AGGREGATING,
  /** MX finished: accounts and transactions are there ({@code connection.data_ready}). */
  DATA_READY,
  /** MX's aggregation failed, or did not finish in time ({@code connection.aggregation_failed}). */
  FAILED,
  /** The connection asked MX to skip it ({@code skip_aggregation}). */
  SKIPPED
}
