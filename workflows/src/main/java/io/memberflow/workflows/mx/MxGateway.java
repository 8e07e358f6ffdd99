package io.memberflow.workflows.mx;

import io.temporal.activity.ActivityInterface;

/**
 * The port through which the connection workflow talks to MX. Implementations map MX's answers to
 * these value types and its errors to the failure types below, so the workflow never sees HTTP.
 *
 * <p>Failures are {@link io.temporal.failure.ApplicationFailure}s: {@link #UNAVAILABLE} is
 * retryable (5xx, 429, timeouts), the others are not.
 *
 * <p>Every call names the {@link MxApi} of its connection.
 */
@ActivityInterface
public interface MxGateway {

  /** MX answered 400 "Member cannot use OAuth": the institution does not offer OAuth. */
  String MEMBER_CANNOT_USE_OAUTH = "MemberCannotUseOAuth";

  /** MX refused the request for good (any other 4xx); repeating it would not help. */
  String REJECTED = "MxRejected";

  /** MX could not answer now (5xx, 429, network trouble); Temporal retries with backoff. */
  String UNAVAILABLE = "MxUnavailable";

  /** Creates the MX user with the client's id, or reads it when it already exists. */
  MxUser ensureUser(String userId, MxApi api);

  /** Creates the OAuth member with the client's id, or reads it when it already exists. */
  MxMember createOAuthMember(NewOAuthMember member, MxApi api);

  /**
   * Opens a connection's OAuth member in the fewest calls MX allows: the user is created (or found)
   * only when its guid is not known from an earlier call, and the first {@code oauth_window_uri} is
   * the one MX returns with the member it creates, where the window's options let the creation
   * carry them.
   */
  OpenedMember openOAuthMember(MemberToOpen member, MxApi api);

  /** Asks MX for a new one-time {@code oauth_window_uri}; each call yields a different one. */
  String requestOAuthWindowUri(OAuthWindowRequest request, MxApi api);

  MemberStatus readMemberStatus(String userGuid, String memberGuid, MxApi api);

  /** MX's record of one of the user's members: its client id says whose member it is. */
  MxMember readMember(String userGuid, String memberGuid, MxApi api);

  /**
   * Asks MX to aggregate the member. MX's 202 and its 409 (an aggregation of another kind runs)
   * both mean that one is under way, and return normally.
   */
  void aggregateMember(String userGuid, String memberGuid, MxApi api);

  /** Deletes the member at MX; a member MX does not know (404) is deleted already. */
  void deleteMember(String userGuid, String memberGuid, MxApi api);
}
