package io.memberflow.workflows.mx;

/**
 * How the caller wants the OAuth window to behave; passed to MX unchanged with every URI request.
 * Null fields are left out so that MX applies its own defaults.
 */
public record OAuthWindowOptions(
    ReferralSource referralSource,
    Boolean skipAggregation,
    String clientRedirectUrl,
    String uiMessageWebviewUrlScheme,
    Boolean enableApp2app) {

  public static OAuthWindowOptions browser() {
    return new OAuthWindowOptions(ReferralSource.BROWSER, null, null, null, null);
  }

  public ReferralSource referralSourceOrDefault() {
    return referralSource == null ? ReferralSource.BROWSER : referralSource;
  }
}
