package io.memberflow.workflows.mx;

public record MxUser(String guid, String id) {}
