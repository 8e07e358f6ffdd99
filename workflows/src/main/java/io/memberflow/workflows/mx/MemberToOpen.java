package io.memberflow.workflows.mx;

/**
 * A connection's OAuth member to open at MX, from what the client said: its user by the client's
 * id, since the user's guid may not be known yet.
 */
public record MemberToOpen(
    String userId, String memberId, String institutionCode, OAuthWindowOptions options) {

  /** The member to create once the user's guid is known. */
  public NewOAuthMember under(String userGuid) {
    return new NewOAuthMember(userGuid, memberId, institutionCode, options);
  }
}
