package io.memberflow.workflows.connection;

import java.time.Instant;
import java.util.List;

/**
 * What a connection carries into the next run of its workflow (continue-as-new): all its view shows
 * and its life needs. Deadlines are absolute times, so a new run waits for what is left of them.
 *
 * @param windows the OAuth windows opened so far, over the member's whole life
 * @param windowsBefore the windows opened before the current round of attempts
 */
public record Continuation(
    ConnectionState state,
    String userGuid,
    String memberGuid,
    int windows,
    int windowsBefore,
    ErrorReason lastErrorReason,
    FailureReason failureReason,
    String failureDetail,
    List<Transition> transitions,
    AggregationState aggregation,
    String aggregationMxStatus,
    String mxStatus,
    String successfullyAggregatedAt,
    boolean staleTold,
    Instant nextCheckup,
    Instant reauthSince,
    List<String> formerMemberGuids) {}
