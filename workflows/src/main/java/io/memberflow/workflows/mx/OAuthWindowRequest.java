package io.memberflow.workflows.mx;

/**
 * A fresh window for a member.
 *
 * @param attempt which of the connection's windows this is; an APP redirect URL is signed for it
 *     (null in runs started before: the first)
 */
public record OAuthWindowRequest(
    String userGuid, String memberGuid, OAuthWindowOptions options, Integer attempt) {

  public OAuthWindowRequest(String userGuid, String memberGuid, OAuthWindowOptions options) {
    this(userGuid, memberGuid, options, null);
  }
}
