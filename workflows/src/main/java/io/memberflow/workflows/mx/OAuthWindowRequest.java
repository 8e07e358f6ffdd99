package io.memberflow.workflows.mx;

/**
 * A fresh window for a member.
 *
 * @param attempt which of the connection's windows this is; an APP redirect URL is signed for it
 */
public record OAuthWindowRequest(
    String userGuid, String memberGuid, OAuthWindowOptions options, int attempt) {}
