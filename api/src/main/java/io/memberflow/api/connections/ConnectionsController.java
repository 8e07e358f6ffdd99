package io.memberflow.api.connections;

import com.fasterxml.jackson.databind.JsonNode;
import io.memberflow.api.errors.ApiException;
import io.memberflow.api.security.ApiAccess;
import io.memberflow.workflows.connection.ConnectionView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API v1: connections. Backends authenticate with an API key, browsers with their token. */
@RestController
@RequestMapping(path = "/v1/connections", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConnectionsController {

  private static final String CONNECTION_ID = "[A-Za-z0-9._-]{1,128}";

  private final ConnectionService connections;
  private final ApiAccess access;

  public ConnectionsController(ConnectionService connections, ApiAccess access) {
    this.connections = connections;
    this.access = access;
  }

  @Operation(summary = "Start a connection (or join the running one with the same member_id)")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<StartedConnection> start(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @Valid @RequestBody StartConnectionRequest request) {
    access.requireBackend(authorization);
    ConnectionService.Start start = connections.start(request);
    String id = start.view().connectionId();
    return ResponseEntity.status(start.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .header(HttpHeaders.LOCATION, "/v1/connections/" + id)
        .body(new StartedConnection(start.view(), access.issueBrowserToken(id)));
  }

  @Operation(summary = "Read a connection: state, attempt, current oauth_window_uri, history")
  @GetMapping("/{id}")
  public ConnectionView read(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String id) {
    access.requireBackendOrBrowser(authorization, checked(id));
    return connections.view(id);
  }

  @Operation(summary = "Relay MX's OAuth-complete postMessage data, exactly as captured")
  @PostMapping(path = "/{id}/oauth-messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ConnectionView relay(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String id,
      @RequestBody JsonNode data) {
    access.requireBackendOrBrowser(authorization, checked(id));
    return connections.relay(id, OAuthMessages.parse(data));
  }

  @Operation(summary = "Try again after DENIED or a provider error: a fresh oauth_window_uri")
  @PostMapping("/{id}/retry")
  public ConnectionView retry(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String id) {
    access.requireBackendOrBrowser(authorization, checked(id));
    return connections.retry(id);
  }

  @Operation(summary = "Go on after IMPEDED, once the user acted at the institution")
  @PostMapping("/{id}/resume")
  public ConnectionView resume(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String id) {
    access.requireBackendOrBrowser(authorization, checked(id));
    return connections.resume(id);
  }

  @Operation(summary = "Cancel the connection (backends only)")
  @PostMapping("/{id}/cancel")
  public ConnectionView cancel(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String id) {
    access.requireBackend(authorization);
    return connections.cancel(checked(id));
  }

  private static String checked(String id) {
    if (!id.matches(CONNECTION_ID)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid connection id", "connection ids are 1 to 128 letters, digits, '.', '_' or '-'");
    }
    return id;
  }
}
