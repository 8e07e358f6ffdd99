package io.memberflow.workflows.mx;

/** An OAuth member to create at MX under an existing user, identified by the client's own id. */
public record NewOAuthMember(
    String userGuid, String memberId, String institutionCode, OAuthWindowOptions options) {}
