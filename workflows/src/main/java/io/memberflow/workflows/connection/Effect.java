package io.memberflow.workflows.connection;

import io.memberflow.workflows.mx.MemberToOpen;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;

/**
 * One thing a connection asks its shell to do. An MX call's result goes back into the connection
 * ({@link Connection#memberOpened}, {@link Connection#userEnsured}, {@link
 * Connection#memberCreated}, {@link Connection#windowIssued}, {@link Connection#memberRead}, {@link
 * Connection#memberChecked}, {@link Connection#aggregationAsked}, {@link Connection#memberDeleted},
 * or {@link Connection#mxFailed}); webhooks and alerts go out beside whatever comes next.
 */
public sealed interface Effect {

  /**
   * Open the OAuth member and its user in one go, with its first window where MX gives one with the
   * member.
   */
  record OpenMember(MemberToOpen member) implements Effect {}

  /** Create the MX user with the client's id, or read it when it exists. */
  record EnsureUser(String userId) implements Effect {}

  /** Create the OAuth member, or read it when it exists. */
  record CreateMember(NewOAuthMember member) implements Effect {}

  /** Ask MX for a new one-time {@code oauth_window_uri}. */
  record FetchWindow(OAuthWindowRequest request) implements Effect {}

  /**
   * Read the member's status at MX. A patient read is the last word on a window (retried as long as
   * any MX call); the others are short, since the connection reads again anyway.
   */
  record ReadMember(String userGuid, String memberGuid, boolean patient) implements Effect {}

  /** Read MX's record of another member a repair's success named: is it this connection's? */
  record CheckMember(String userGuid, String memberGuid) implements Effect {}

  /** Ask MX to aggregate the member now (a refresh). */
  record Aggregate(String userGuid, String memberGuid) implements Effect {}

  /** Delete the member at MX (a disconnect); a member MX no longer knows counts as deleted. */
  record DeleteMember(String userGuid, String memberGuid) implements Effect {}

  /** Send the integrator a webhook. */
  record Notify(ConnectionNotification notification) implements Effect {}

  /** Alert operators. */
  record Alert(OperatorAlert alert) implements Effect {}
}
