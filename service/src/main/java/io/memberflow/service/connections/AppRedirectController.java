package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.service.security.AppRedirects;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.connection.OAuthMessage;
import io.memberflow.workflows.mx.ReferralSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The end of an APP flow: MX redirects the user's webview here (the member's {@code
 * client_redirect_url}) with the outcome in the query. It becomes the same outcome as a relayed
 * postMessage, and the page then sends the user on to the app by its URL scheme.
 */
@RestController
public class AppRedirectController {

  private final ConnectionService connections;
  private final AppRedirects redirects;

  public AppRedirectController(ConnectionService connections, AppRedirects redirects) {
    this.connections = connections;
    this.redirects = redirects;
  }

  @GetMapping(path = "/v1/connections/{id}/app-redirect", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> complete(
      @PathVariable String id,
      @RequestParam(required = false) String attempt,
      @RequestParam(required = false) String expires,
      @RequestParam(required = false) String sig,
      @RequestParam(name = "member_guid", required = false) String memberGuid,
      @RequestParam(required = false) String status,
      @RequestParam(name = "error_reason", required = false) String errorReason) {
    try {
      int window = redirects.verify(id, attempt, expires, sig);
      OAuthMessage message = message(memberGuid, status, errorReason, window);
      ConnectionView current = connections.view(id);
      if (current.windowOptions() == null
          || current.windowOptions().referralSourceOrDefault() != ReferralSource.APP) {
        throw new ApiException(
            HttpStatus.CONFLICT,
            "Not an APP flow",
            "this connection runs in a browser, not an app");
      }
      ConnectionView view = connections.relay(id, message).connection();
      String scheme = view.windowOptions().uiMessageWebviewUrlScheme();
      String app =
          scheme
              + "://memberflow/connections/"
              + URLEncoder.encode(id, StandardCharsets.UTF_8)
              + "?state="
              + view.state();
      return ResponseEntity.ok()
          .body(
              page(
                  "Returning to the app",
                  "<meta http-equiv=\"refresh\" content=\"0;url=" + escape(app) + "\">",
                  "<p id=\"outcome\">"
                      + escape(view.state().name())
                      + "</p>"
                      + "<p><a id=\"continue\" href=\""
                      + escape(app)
                      + "\">Return to the app</a></p>"));
    } catch (ApiException refused) {
      return ResponseEntity.status(refused.status())
          .contentType(MediaType.TEXT_HTML)
          .body(
              page(
                  refused.title(),
                  "",
                  "<p id=\"refused\">" + escape(refused.getMessage()) + "</p>"));
    }
  }

  /** MX's redirect: {@code status=success}, or {@code status=error&error_reason=...}. */
  private static OAuthMessage message(
      String memberGuid, String status, String errorReason, int window) {
    if (memberGuid == null || memberGuid.isBlank()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid redirect", "member_guid is required");
    }
    if ("success".equals(status)) {
      return OAuthMessage.redirect(memberGuid, null, window);
    }
    if ("error".equals(status)) {
      if (errorReason == null) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST,
            "Invalid redirect",
            "error_reason is required with status=error");
      }
      return OAuthMessage.redirect(
          memberGuid,
          OAuthMessages.errorReason(
              com.fasterxml.jackson.databind.node.TextNode.valueOf(errorReason)),
          window);
    }
    throw new ApiException(
        HttpStatus.BAD_REQUEST, "Invalid redirect", "status must be success or error");
  }

  private static String page(String title, String head, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>"
        + head
        + "</head><body>"
        + body
        + "</body></html>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
