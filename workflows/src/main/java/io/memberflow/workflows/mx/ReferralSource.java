package io.memberflow.workflows.mx;

/** Where the OAuth window is opened: a browser popup, or a native app that MX redirects back to. */
public enum ReferralSource {
  BROWSER,
  APP
}
