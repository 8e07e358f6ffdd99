package io.memberflow.workflows.connection.temporal;

import io.memberflow.workflows.connection.ConnectionRequest;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ErrorReason;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What Temporal visibility knows of a connection, so that connections can be listed and counted
 * without asking each workflow. The client sets them at start; the workflow keeps them current.
 * Each must be registered on the namespace before the first connection starts (the embedded setup
 * does it at start-up; clusters: see docs/configuration.md).
 */
public final class ConnectionSearchAttributes {

  public static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("MemberflowState");
  public static final SearchAttributeKey<String> INSTITUTION_CODE =
      SearchAttributeKey.forKeyword("MemberflowInstitutionCode");
  public static final SearchAttributeKey<String> MX_API =
      SearchAttributeKey.forKeyword("MemberflowMxApi");
  public static final SearchAttributeKey<String> USER_ID =
      SearchAttributeKey.forKeyword("MemberflowUserId");
  public static final SearchAttributeKey<Long> ATTEMPT =
      SearchAttributeKey.forLong("MemberflowAttempt");
  public static final SearchAttributeKey<String> LAST_ERROR_REASON =
      SearchAttributeKey.forKeyword("MemberflowLastErrorReason");

  /** MX's guid of the connection's member: how MX's webhooks find their connection. */
  public static final SearchAttributeKey<String> MEMBER_GUID =
      SearchAttributeKey.forKeyword("MemberflowMemberGuid");

  /** Every key, for registration. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(STATE, INSTITUTION_CODE, MX_API, USER_ID, ATTEMPT, LAST_ERROR_REASON, MEMBER_GUID);

  private ConnectionSearchAttributes() {}

  /** What a connection starts with, set by the client that starts it. */
  public static SearchAttributes atStart(ConnectionRequest request) {
    return SearchAttributes.newBuilder()
        .set(STATE, ConnectionState.STARTING.name())
        .set(INSTITUTION_CODE, request.institutionCode())
        .set(MX_API, request.mxApi().wireName())
        .set(USER_ID, request.userId())
        .set(ATTEMPT, 0L)
        .build();
  }

  /**
   * The updates that bring visibility from {@code before} to {@code now}; empty when nothing it
   * shows has changed, so a workflow upserts only on a real change.
   */
  static List<SearchAttributeUpdate<?>> changes(Shown before, Shown now) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    if (before.state() != now.state()) {
      updates.add(STATE.valueSet(now.state().name()));
    }
    if (before.attempt() != now.attempt()) {
      updates.add(ATTEMPT.valueSet((long) now.attempt()));
    }
    if (before.lastErrorReason() != now.lastErrorReason()) {
      updates.add(
          now.lastErrorReason() == null
              ? LAST_ERROR_REASON.valueUnset()
              : LAST_ERROR_REASON.valueSet(now.lastErrorReason().name()));
    }
    if (now.memberGuid() != null && !now.memberGuid().equals(before.memberGuid())) {
      updates.add(MEMBER_GUID.valueSet(now.memberGuid()));
    }
    return updates;
  }

  /** The changing part of what visibility shows. */
  record Shown(ConnectionState state, int attempt, ErrorReason lastErrorReason, String memberGuid) {
    static final Shown AT_START = new Shown(ConnectionState.STARTING, 0, null, null);
  }
}
