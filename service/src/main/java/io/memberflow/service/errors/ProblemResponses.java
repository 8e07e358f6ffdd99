package io.memberflow.service.errors;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.temporal.client.WorkflowServiceException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error as RFC 9457 problem details, with a reason a caller can act on. */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  /** Callers send snake_case; errors name their fields the same way. */
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> refused(ApiException e, HttpServletRequest request) {
    return problem(e.status(), e.title(), e.getMessage(), request);
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", e.getMessage(), request);
  }

  /** Temporal itself cannot be reached: the request did nothing and may be repeated. */
  @ExceptionHandler(WorkflowServiceException.class)
  ResponseEntity<ProblemDetail> temporalUnavailable(
      WorkflowServiceException e, HttpServletRequest request) {
    log.warn("Temporal call failed", e);
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Service unavailable",
        "the workflow service could not be reached; try again",
        request);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    Throwable cause = e.getMostSpecificCause();
    if (cause instanceof BodyTooLargeException tooLarge) {
      return body(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", tooLarge.getMessage());
    }
    return body(HttpStatus.BAD_REQUEST, "Malformed JSON", "the request body is not valid JSON for this endpoint: " + firstLine(cause.getMessage()));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> SNAKE_CASE.translate(f.getField()) + ": " + f.getDefaultMessage())
            .sorted()
            .collect(Collectors.joining("; "));
    return body(HttpStatus.BAD_REQUEST, "Invalid request", detail);
  }

  private static ResponseEntity<Object> body(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return ResponseEntity.status(status).body(problem);
  }

  private static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String title, String detail, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setInstance(URI.create(request.getRequestURI()));
    return ResponseEntity.status(status).body(problem);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable body";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
