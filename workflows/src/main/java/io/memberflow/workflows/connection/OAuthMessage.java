package io.memberflow.workflows.connection;

/**
 * MX's OAuth-complete message as the workflow sees it: success when {@code errorReason} is null.
 * The API turns the browser's postMessage (or the APP redirect) into this.
 *
 * @param redirectAttempt for an APP redirect, the window its signed URL was made for: it applies to
 *     that window only, once (null for a relayed postMessage)
 */
public record OAuthMessage(String memberGuid, ErrorReason errorReason, Integer redirectAttempt) {

  public static OAuthMessage success(String memberGuid) {
    return new OAuthMessage(memberGuid, null, null);
  }

  public static OAuthMessage error(String memberGuid, ErrorReason reason) {
    return new OAuthMessage(memberGuid, reason, null);
  }

  /** MX's redirect at the end of an APP window, whose URL was signed for window {@code attempt}. */
  public static OAuthMessage redirect(String memberGuid, ErrorReason reason, int attempt) {
    return new OAuthMessage(memberGuid, reason, attempt);
  }

  public boolean succeeded() {
    return errorReason == null;
  }
}
