package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;

/**
 * The workflow's input. It holds no credentials: those live in the workers' configuration and
 * must never reach a workflow history.
 *
 * @param metricsInstitution the institution as metrics name it: the code when it is one of the
 *     deployment's watched institutions, else {@code other}, so label values stay bounded
 */
public record ConnectionRequest(
    String connectionId,
    String userId,
    String memberId,
    String institutionCode,
    OAuthWindowOptions windowOptions,
    OutcomePolicy policy,
    MxApi mxApi,
    String metricsInstitution) {}
