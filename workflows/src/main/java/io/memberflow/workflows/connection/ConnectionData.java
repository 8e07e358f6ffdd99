package io.memberflow.workflows.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a connection is: the request it began with, its user and member at MX, its windows, how its
 * OAuth went, its lifecycle and transitions, and its first aggregation; and the view and webhooks
 * made from it. {@link Connection} changes it; {@link RequestRules} reads it.
 */
final class ConnectionData {

  final ConnectionRequest request;
  final ConnectionLifecycle lifecycle = new ConnectionLifecycle();
  final List<Transition> transitions = new ArrayList<>();
  final FirstAggregation aggregation = new FirstAggregation();

  String userGuid;
  String memberGuid;

  /** The open window's URI; null once it is used, or while none is open. */
  String oauthWindowUri;

  int attempt;
  ErrorReason lastErrorReason;
  FailureReason failureReason;
  String failureDetail;

  ConnectionData(ConnectionRequest request) {
    this.request = request;
  }

  ConnectionState state() {
    return lifecycle.state();
  }

  boolean isOwnMember(String guid) {
    return memberGuid != null && memberGuid.equals(guid);
  }

  ConnectionView view() {
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
        attempt,
        request.policy().maxAttempts(),
        state() == ConnectionState.AWAITING_OAUTH ? oauthWindowUri : null,
        lastErrorReason,
        failureReason,
        failureDetail,
        List.copyOf(transitions),
        aggregation.state(),
        aggregation.mxStatus());
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
        attempt,
        lastErrorReason,
        aggregation.mxStatus());
  }

  /** An operator alert of the last error. */
  OperatorAlert alert(Instant at) {
    return new OperatorAlert(
        request.connectionId(), request.institutionCode(), lastErrorReason, memberGuid, at);
  }
}
