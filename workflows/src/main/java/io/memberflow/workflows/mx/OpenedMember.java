package io.memberflow.workflows.mx;

/**
 * The OAuth member MX made (or had), under its user.
 *
 * @param firstWindowUri the one-time {@code oauth_window_uri} MX returned with the member it
 *     created; null when it returned none (the member existed already), and the first window is
 *     then asked for as every later one is
 */
public record OpenedMember(MxMember member, String firstWindowUri) {}
