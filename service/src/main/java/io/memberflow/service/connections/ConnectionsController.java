package io.memberflow.service.connections;

import com.fasterxml.jackson.databind.JsonNode;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.security.BrowserTokens;
import io.memberflow.workflows.connection.ConnectionState;
import jakarta.validation.Valid;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * API v1: connections. Who may call what is {@link io.memberflow.service.security.ApiSecurity}'s.
 */
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConnectionsController {

  private static final Pattern ID = Pattern.compile(StartConnectionRequest.ID);
  private static final Pattern INSTITUTION_CODE =
      Pattern.compile(StartConnectionRequest.INSTITUTION_CODE);

  private static final int MAX_PAGE_SIZE = 1000;

  private final ConnectionService connections;
  private final ConnectionDirectory directory;
  private final BrowserTokens tokens;

  public ConnectionsController(
      ConnectionService connections, ConnectionDirectory directory, BrowserTokens tokens) {
    this.connections = connections;
    this.directory = directory;
    this.tokens = tokens;
  }

  @GetMapping("/connections")
  public ConnectionDirectory.Page list(
      @RequestParam(required = false) String state,
      @RequestParam(name = "institution_code", required = false) String institutionCode,
      @RequestParam(name = "user_id", required = false) String userId,
      @RequestParam(name = "page_size", defaultValue = "50") int pageSize,
      @RequestParam(name = "page_token", required = false) String pageToken) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw invalid("page_size must be 1 to " + MAX_PAGE_SIZE);
    }
    return directory.list(filter(state, institutionCode, userId), pageSize, pageToken);
  }

  /** Counts by state, every state named; a sibling path so that no member id is shadowed. */
  @GetMapping("/connection-counts")
  public Map<String, Object> counts(
      @RequestParam(name = "institution_code", required = false) String institutionCode,
      @RequestParam(name = "user_id", required = false) String userId) {
    Map<ConnectionState, Long> counts =
        directory.countByState(filter(null, institutionCode, userId));
    return Map.of(
        "counts", counts, "total", counts.values().stream().mapToLong(Long::longValue).sum());
  }

  @PostMapping(path = "/connections", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<StartedConnection> start(
      @Valid @RequestBody StartConnectionRequest request) {
    Handled started = connections.start(request);
    String id = started.connection().connectionId();
    return started.answer(new StartedConnection(started.connection(), tokens.issue(id)), true);
  }

  @GetMapping("/connections/{id}")
  public ConnectionResponse read(@PathVariable String id) {
    return ConnectionResponse.of(connections.view(checked(id)));
  }

  @PostMapping(
      path = "/connections/{id}/oauth-messages",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<ConnectionResponse> relay(
      @PathVariable String id, @RequestBody JsonNode data) {
    return answer(connections.relay(checked(id), OAuthMessages.parse(data)));
  }

  @PostMapping("/connections/{id}/retry")
  public ResponseEntity<ConnectionResponse> retry(@PathVariable String id) {
    return answer(connections.retry(checked(id)));
  }

  @PostMapping("/connections/{id}/resume")
  public ResponseEntity<ConnectionResponse> resume(@PathVariable String id) {
    return answer(connections.resume(checked(id)));
  }

  @PostMapping("/connections/{id}/cancel")
  public ResponseEntity<ConnectionResponse> cancel(@PathVariable String id) {
    return answer(connections.cancel(checked(id)));
  }

  /** A fresh window on the same member, with a browser token for it, as a start answers. */
  @PostMapping("/connections/{id}/reconnect")
  public ResponseEntity<StartedConnection> reconnect(@PathVariable String id) {
    Handled reconnecting = connections.reconnect(checked(id));
    return reconnecting.answer(
        new StartedConnection(reconnecting.connection(), tokens.issue(id)), false);
  }

  @PostMapping("/connections/{id}/refresh")
  public ResponseEntity<ConnectionResponse> refresh(@PathVariable String id) {
    return answer(connections.refresh(checked(id)));
  }

  @DeleteMapping("/connections/{id}")
  public ResponseEntity<ConnectionResponse> disconnect(@PathVariable String id) {
    return answer(connections.disconnect(checked(id)));
  }

  private static ResponseEntity<ConnectionResponse> answer(Handled handled) {
    return handled.answer(ConnectionResponse.of(handled.connection()), false);
  }

  private static ConnectionDirectory.Filter filter(
      String state, String institutionCode, String userId) {
    ConnectionState inState = null;
    if (state != null) {
      inState =
          Arrays.stream(ConnectionState.values())
              .filter(s -> s.name().equals(state))
              .findFirst()
              .orElseThrow(
                  () ->
                      invalid("state must be one of " + Arrays.toString(ConnectionState.values())));
    }
    if (institutionCode != null && !INSTITUTION_CODE.matcher(institutionCode).matches()) {
      throw invalid("institution_code " + StartConnectionRequest.INSTITUTION_CODE_RULE);
    }
    if (userId != null && !ID.matcher(userId).matches()) {
      throw invalid("user_id " + StartConnectionRequest.ID_RULE);
    }
    return new ConnectionDirectory.Filter(inState, institutionCode, userId);
  }

  private static ApiException invalid(String why) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", why);
  }

  private static String checked(String id) {
    if (!ID.matcher(id).matches()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid connection id",
          "a connection id " + StartConnectionRequest.ID_RULE);
    }
    return id;
  }
}
