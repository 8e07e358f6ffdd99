package io.memberflow.activities.mx;

/**
 * Signs the {@code client_redirect_url} of an APP window when the request to MX leaves, so that the
 * signature exists only there and in MX's redirect, never in the workflow's history or its API
 * view. The service's signer makes each URL expire and fit one window.
 */
@FunctionalInterface
public interface RedirectSigner {

  /** Sends URLs as they are: for workers without APP flows, and tests of other things. */
  RedirectSigner NONE = (url, attempt) -> url;

  /**
   * @param clientRedirectUrl the URL as the connection keeps it (null: none)
   * @param attempt the window it is for
   */
  String sign(String clientRedirectUrl, int attempt);
}
