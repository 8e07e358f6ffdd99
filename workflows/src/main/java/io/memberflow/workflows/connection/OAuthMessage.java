package io.memberflow.workflows.connection;

/**
 * MX's OAuth-complete message as the workflow sees it: success when {@code errorReason} is null.
 * The API turns the browser's postMessage (or the APP redirect) into this.
 */
public record OAuthMessage(String memberGuid, ErrorReason errorReason) {

  public static OAuthMessage success(String memberGuid) {
    return new OAuthMessage(memberGuid, null);
  }

  public static OAuthMessage error(String memberGuid, ErrorReason reason) {
    return new OAuthMessage(memberGuid, reason);
  }

  public boolean succeeded() {
    return errorReason == null;
  }
}
