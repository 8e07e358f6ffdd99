package io.memberflow.service.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the web server itself refuses before memberflow's code sees the request (a TRACE, a query it
 * cannot decode) is answered like everything else: a problem detail, not the server's HTML page.
 */
@RestController
public class ErrorPages implements ErrorController {

  @RequestMapping(path = "/error", produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
  public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
    if (status == null) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, reason(status));
    problem.setTitle(status.getReasonPhrase());
    Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (path instanceof String uri) {
      problem.setInstance(URI.create(uri.replaceAll("[^A-Za-z0-9/._~%-]", "")));
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static String reason(HttpStatus status) {
    return switch (status) {
      case METHOD_NOT_ALLOWED -> "this method is not allowed here";
      case BAD_REQUEST -> "the request line, its query or its headers could not be read";
      case NOT_FOUND -> "nothing is here";
      default ->
          status.is5xxServerError()
              ? "the request failed inside memberflow; it has been logged"
              : "the web server refused the request";
    };
  }
}
