package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.util.Objects;

/**
 * The workflow's input. It holds no credentials: those live in the workers' configuration and must
 * never reach a workflow history.
 *
 * @param metricsInstitution the institution as metrics name it: the code when it is one of the
 *     deployment's watched institutions, else {@code other}, so label values stay bounded
 * @param startId unique per API call that asks for this connection: of the concurrent calls, the
 *     one whose request started the run created the connection
 * @param webhooks whether the deployment had webhook receivers when the connection started; without
 *     any, the connection schedules no deliveries, which would send nothing
 */
public record ConnectionRequest(
    String connectionId,
    String userId,
    String memberId,
    String institutionCode,
    OAuthWindowOptions windowOptions,
    OutcomePolicy policy,
    MxApi mxApi,
    String metricsInstitution,
    String startId,
    boolean webhooks) {

  public ConnectionRequest {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(institutionCode, "institutionCode");
    Objects.requireNonNull(windowOptions, "windowOptions");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(mxApi, "mxApi");
  }
}
