package io.memberflow.service.errors;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.grpc.Status;
import io.temporal.client.WorkflowServiceException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
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
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
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
    ResponseEntity<ProblemDetail> refusal = problem(e.status(), e.title(), e.getMessage(), request);
    e.properties().forEach(refusal.getBody()::setProperty);
    if (e.retryAfterSeconds() != null) {
      return ResponseEntity.status(refusal.getStatusCode())
          .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString())
          .body(refusal.getBody());
    }
    return refusal;
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", e.getMessage(), request);
  }

  /**
   * Temporal did not answer in time: the request may or may not have reached it, and may be
   * repeated (starts and updates are idempotent), after {@code Retry-After}.
   */
  @ExceptionHandler(WorkflowServiceException.class)
  ResponseEntity<ProblemDetail> temporalUnavailable(
      WorkflowServiceException e, HttpServletRequest request) {
    if (Status.fromThrowable(e).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      return refused(new TemporalBusy(), request);
    }
    log.warn("Temporal call failed", e);
    ResponseEntity<ProblemDetail> unavailable =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Service unavailable",
            "the workflow service could not be reached in time; try again",
            request);
    return ResponseEntity.status(unavailable.getStatusCode())
        .header(HttpHeaders.RETRY_AFTER, TemporalBusy.RETRY_AFTER_SECONDS)
        .body(unavailable.getBody());
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (e.getMostSpecificCause() instanceof BodyTooLargeException tooLarge) {
      return body(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", tooLarge.getMessage());
    }
    // Without a cause, Spring's message names the controller method: never passed on.
    return body(
        HttpStatus.BAD_REQUEST, "Invalid request body", UnreadableBody.reason(e.getCause()));
  }

  /** A query parameter of the wrong type, say {@code page_size=ten}. */
  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name =
        e instanceof MethodArgumentTypeMismatchException argument
            ? argument.getName()
            : e.getPropertyName();
    Class<?> type = e.getRequiredType();
    String expected =
        type == int.class || type == Integer.class ? "a whole number" : "of another form";
    return body(HttpStatus.BAD_REQUEST, "Invalid request", name + " must be " + expected);
  }

  /** Spring's own answers keep their status; a server error says nothing of the inside. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (status.is5xxServerError()) {
      log.error("Request failed", e);
      return internalError();
    }
    return super.handleExceptionInternal(e, body, headers, status, request);
  }

  /** Anything unforeseen: logged with its cause, answered without it. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unforeseen(Exception e) {
    log.error("Request failed", e);
    return internalError();
  }

  private static ResponseEntity<Object> internalError() {
    return body(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error",
        "the request failed inside memberflow; it has been logged");
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
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
}
