package io.memberflow.workflows.connection;

import java.time.Instant;

/**
 * Something operators must look at: an OAuth error the provider caused ({@code errorReason}), or
 * trouble MX reports at the provider for a connected member ({@code mxConnectionStatus}).
 */
public record OperatorAlert(
    String connectionId,
    String institutionCode,
    ErrorReason errorReason,
    String memberGuid,
    Instant occurredAt,
    String mxConnectionStatus) {

  /** Whether it is MX's report of trouble at the provider, not an OAuth error. */
  public boolean reportsProviderTrouble() {
    return errorReason == null;
  }

  /** What caused it, as labels and metrics name it: the error_reason or MX's status. */
  public String cause() {
    return reportsProviderTrouble() ? mxConnectionStatus : errorReason.name();
  }
}
