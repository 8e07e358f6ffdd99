package io.memberflow.workflows.mx;

public record MxMember(String guid, String id, String userGuid, String institutionCode) {}
