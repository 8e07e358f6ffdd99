package io.memberflow.workflows.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a connection is: the request it began with, its user and member at MX, its windows, how its
 * OAuth went, its lifecycle and transitions, the aggregation it follows, and its member's life; and
 * the view and webhooks made from it. {@link Connection} changes it; {@link RequestRules} reads it.
 */
final class ConnectionData {

  final ConnectionRequest request;
  final ConnectionLifecycle lifecycle;
  final List<Transition> transitions = new ArrayList<>();
  final FollowedAggregation aggregation;
  final MemberLife life = new MemberLife();

  String userGuid;
  String memberGuid;

  /** Another member a repair's success named; the member once MX reports it connected. */
  String candidateGuid;

  /** The members the connection followed before its current one, oldest first. */
  final List<String> formerMemberGuids = new ArrayList<>();

  /** The open window's URI; null once it is used, or while none is open. */
  String oauthWindowUri;

  /** The number of the latest window, over the member's whole life. */
  int attempt;

  ErrorReason lastErrorReason;
  FailureReason failureReason;
  String failureDetail;

  ConnectionData(ConnectionRequest request) {
    this.request = request;
    this.lifecycle = new ConnectionLifecycle();
    this.aggregation = new FollowedAggregation();
  }

  /** As an earlier run of the connection left it: a connection that lives on. */
  ConnectionData(ConnectionRequest request, Continuation carried) {
    this.request = request;
    this.lifecycle = new ConnectionLifecycle(carried.state());
    this.aggregation =
        new FollowedAggregation(carried.aggregation(), carried.aggregationMxStatus());
    userGuid = carried.userGuid();
    memberGuid = carried.memberGuid();
    attempt = carried.windows();
    lastErrorReason = carried.lastErrorReason();
    failureReason = carried.failureReason();
    failureDetail = carried.failureDetail();
    transitions.addAll(carried.transitions());
    formerMemberGuids.addAll(carried.formerMemberGuids());
    life.livesOn = true;
    life.windowsBefore = carried.windowsBefore();
    life.mxStatus = carried.mxStatus();
    life.successfullyAggregatedAt = carried.successfullyAggregatedAt();
    life.staleTold = carried.staleTold();
    life.nextCheckup = carried.nextCheckup();
    life.reauthSince = carried.reauthSince();
  }

  /** What the next run of the workflow needs; taken only while the connection waits for a read. */
  Continuation carry() {
    return new Continuation(
        state(),
        userGuid,
        memberGuid,
        attempt,
        life.windowsBefore,
        lastErrorReason,
        failureReason,
        failureDetail,
        List.copyOf(transitions),
        aggregation.state(),
        aggregation.mxStatus(),
        life.mxStatus,
        life.successfullyAggregatedAt,
        life.staleTold,
        life.nextCheckup,
        life.reauthSince,
        List.copyOf(formerMemberGuids));
  }

  /** The member MX is asked about: a repair's candidate while its success is confirmed. */
  String memberToRead() {
    return candidateGuid != null ? candidateGuid : memberGuid;
  }

  /** MX reports the candidate connected: the connection follows it from now on. */
  void followCandidate() {
    if (candidateGuid != null) {
      formerMemberGuids.add(memberGuid);
      memberGuid = candidateGuid;
      candidateGuid = null;
    }
  }

  /** The attempt of the current round: a repair's attempts count from one again. */
  int attemptInRound() {
    return attempt - life.windowsBefore;
  }

  /**
   * Whether no request can change the connection any more: it ended, or (before the member's life)
   * it connected.
   */
  boolean isFinished() {
    return state().isTerminal() || (!life.livesOn && state() == ConnectionState.CONNECTED);
  }

  ConnectionState state() {
    return lifecycle.state();
  }

  boolean isOwnMember(String guid) {
    return memberGuid != null && memberGuid.equals(guid);
  }

  ConnectionView view(Instant now) {
    return new ConnectionView(
        request.connectionId(),
        request.userId(),
        request.memberId(),
        request.institutionCode(),
        request.mxApi(),
        request.windowOptions(),
        state(),
        userGuid,
        memberGuid,
        attemptInRound(),
        request.policy().maxAttempts(),
        state() == ConnectionState.AWAITING_OAUTH ? oauthWindowUri : null,
        lastErrorReason,
        failureReason,
        failureDetail,
        List.copyOf(transitions),
        aggregation.state(),
        aggregation.mxStatus(),
        life.mxStatus,
        life.successfullyAggregatedAt,
        state().isConnectedLife() ? life.refreshAvailableAt(now) : null,
        life.repairing,
        List.copyOf(formerMemberGuids));
  }

  /** A webhook telling the connection as it is now. */
  ConnectionNotification notice(NotificationType type, String id, Instant at) {
    return new ConnectionNotification(
        id,
        type,
        at,
        request.connectionId(),
        request.userId(),
        request.memberId(),
        memberGuid,
        request.institutionCode(),
        state(),
        attemptInRound(),
        lastErrorReason,
        explainingMxStatus(type));
  }

  /** MX's status where it explains what the webhook tells. */
  private String explainingMxStatus(NotificationType type) {
    return switch (type) {
      case AGGREGATION_FAILED -> aggregation.mxStatus();
      case REAUTH_REQUIRED, DEGRADED, CLOSED, REPAIRED -> life.mxStatus;
      default -> null;
    };
  }

  /** An operator alert of the last error. */
  OperatorAlert alert(Instant at) {
    return new OperatorAlert(
        request.connectionId(), request.institutionCode(), lastErrorReason, memberGuid, at, null);
  }

  /** An operator alert of trouble MX reports at the provider. */
  OperatorAlert providerAlert(Instant at) {
    return new OperatorAlert(
        request.connectionId(), request.institutionCode(), null, memberGuid, at, life.mxStatus);
  }
}
