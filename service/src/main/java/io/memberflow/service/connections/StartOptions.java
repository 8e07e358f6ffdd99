package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.security.AppRedirects;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.ReferralSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What a start asks of MX, checked against this deployment: the MX API and the window's options.
 */
@Component
class StartOptions {

  private final MxProperties mx;
  private final AppRedirects redirects;

  StartOptions(MxProperties mx, AppRedirects redirects) {
    this.mx = mx;
    this.redirects = redirects;
  }

  /**
   * The API the request names, or the deployment's default; it must be configured here. A caller
   * names it exactly as the document's enum does ({@link MxApi#named} takes any case).
   */
  MxApi mxApi(String requested) {
    if (requested == null) {
      return mx.defaultApi();
    }
    MxApi api =
        Arrays.stream(MxApi.values())
            .filter(named -> named.wireName().equals(requested))
            .findFirst()
            .orElseThrow(
                () ->
                    invalid(
                        "mx_api must be one of "
                            + Arrays.stream(MxApi.values()).map(MxApi::wireName).toList()));
    if (!mx.configured().contains(api)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "MX API not configured",
          "mx_api "
              + api.wireName()
              + " is not configured on this deployment; it has "
              + mx.configured().stream().map(MxApi::wireName).sorted().toList());
    }
    return api;
  }

  /**
   * A browser flow never says APP and takes no redirect. An APP flow names the app's URL scheme; MX
   * sends the user back to memberflow ({@link AppRedirectController}), which records the outcome
   * and sends the user on to the app.
   */
  OAuthWindowOptions windowOptions(StartConnectionRequest request) {
    ReferralSource source =
        Objects.requireNonNullElse(request.referralSource(), ReferralSource.BROWSER);
    if (request.clientRedirectUrl() != null) {
      throw invalid(
          "client_redirect_url is memberflow's own (it turns MX's redirect into the"
              + " outcome); name the app with ui_message_webview_url_scheme instead");
    }
    if (source == ReferralSource.BROWSER) {
      if (request.uiMessageWebviewUrlScheme() != null) {
        throw invalid("ui_message_webview_url_scheme applies only to referral_source APP");
      }
      return new OAuthWindowOptions(
          source, request.skipAggregation(), null, null, request.enableApp2app());
    }
    if (request.uiMessageWebviewUrlScheme() == null) {
      throw invalid(
          "referral_source APP needs ui_message_webview_url_scheme: the app to return to");
    }
    if (WEB_SCHEMES.contains(request.uiMessageWebviewUrlScheme().toLowerCase(Locale.ROOT))) {
      throw invalid(
          "ui_message_webview_url_scheme must be the app's own scheme, not "
              + request.uiMessageWebviewUrlScheme());
    }
    if (!redirects.available()) {
      throw invalid(
          "APP flows need memberflow.frontend.public-base-url, where MX sends the user back");
    }
    return new OAuthWindowOptions(
        source,
        request.skipAggregation(),
        redirects.url(request.memberId()),
        request.uiMessageWebviewUrlScheme(),
        request.enableApp2app());
  }

  /** Schemes that would send the user to a web page or run script instead of opening the app. */
  private static final Set<String> WEB_SCHEMES =
      Set.of("http", "https", "javascript", "data", "file", "vbscript", "blob", "about");

  private static ApiException invalid(String why) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", why);
  }
}
