package io.memberflow.workflows.mx;

public record OAuthWindowRequest(String userGuid, String memberGuid, OAuthWindowOptions options) {}
