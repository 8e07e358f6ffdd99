package io.memberflow.service.encryption;

import io.memberflow.service.security.CodecSessions;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Where an operator signs in for the Web UI's codec calls ({@link CodecSessions}). */
@RestController
public class CodecSessionController {

  private final CodecSessions sessions;

  public CodecSessionController(CodecSessions sessions) {
    this.sessions = sessions;
  }

  @GetMapping(path = "/codec/session", produces = MediaType.TEXT_HTML_VALUE)
  public String form() {
    return page(
        "Decode in the Temporal Web UI",
        "<form method=\"post\" action=\"/codec/session\"><label>Operator API key "
            + "<input type=\"password\" name=\"operator_key\" autocomplete=\"off\" required></label>"
            + "<button type=\"submit\">Sign in</button></form>");
  }

  @PostMapping(
      path = "/codec/session",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> signIn(
      @RequestParam(name = "operator_key", required = false) String key,
      HttpServletRequest request) {
    return sessions
        .signIn(key, request.isSecure())
        .map(
            cookie ->
                ResponseEntity.ok()
                    .header(HttpHeaders.SET_COOKIE, cookie.toString())
                    .body(
                        page(
                            "Signed in",
                            "<p id=\"signed-in\">For eight hours, the Temporal Web UI on this host decodes through "
                                + "memberflow: in its Codec Server settings, set the endpoint to this service's /codec "
                                + "and turn on \"Include cross-origin credentials\".</p>")))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(
                        page(
                            "Not an operator key",
                            "<p id=\"refused\">That is not an operator API key.</p>")));
  }

  private static String page(String title, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + title
        + "</title></head><body><h1>"
        + title
        + "</h1>"
        + body
        + "</body></html>";
  }
}
