package io.memberflow.dev.demo;

import io.memberflow.dev.embedded.DevelopmentSetup;
import io.memberflow.sandbox.Institution;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.service.connections.ConnectionService;
import io.memberflow.service.connections.Handled;
import io.memberflow.service.connections.StartConnectionRequest;
import io.memberflow.service.connections.StartedConnection;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.security.BrowserTokens;
import io.memberflow.workflows.mx.MxApi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo page and the bit of integrator backend it needs: it starts connections the way a backend
 * would, with the server holding the rights a browser must not have. It exists only with the
 * embedded MX sandbox.
 */
@RestController
@ConditionalOnProperty(name = "memberflow.embedded.sandbox.enabled", havingValue = "true")
public class DemoController {

  private static final Map<String, MediaType> FILES =
      Map.of(
          "demo.js", MediaType.valueOf("text/javascript"),
          "demo.css", MediaType.valueOf("text/css"));

  private final ConnectionService connections;
  private final DevelopmentSetup development;
  private final BrowserTokens tokens;
  private final MxSandbox sandbox;
  private final MxProperties mx;

  public DemoController(
      ConnectionService connections,
      DevelopmentSetup development,
      BrowserTokens tokens,
      MxSandbox sandbox,
      MxProperties mx) {
    this.connections = connections;
    this.development = development;
    this.tokens = tokens;
    this.sandbox = sandbox;
    this.mx = mx;
  }

  /** What the demo page picks from. */
  public record DemoConfig(
      String mxOrigin,
      List<DemoInstitution> institutions,
      List<String> mxApis,
      List<String> mxStatuses) {}

  /** A status the sandbox's member takes, as the bank would make it (a revoked token: DENIED). */
  public record DemoStatus(@NotNull String connectionStatus) {}

  public record DemoInstitution(String code, String name, boolean supportsOauth) {}

  /** The demo's start: one of the sandbox's institutions and an API; the ids are made up here. */
  public record DemoStart(@NotNull String institutionCode, String mxApi) {}

  @GetMapping(
      path = {"/demo", "/demo/"},
      produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<Resource> page() {
    return ResponseEntity.ok()
        .contentType(MediaType.TEXT_HTML)
        .body(new ClassPathResource("demo/index.html"));
  }

  @GetMapping("/demo/{file:demo\\.(?:js|css)}")
  public ResponseEntity<Resource> asset(@PathVariable String file) {
    return ResponseEntity.ok()
        .contentType(FILES.get(file))
        .body(new ClassPathResource("demo/" + file));
  }

  @GetMapping("/demo/config")
  public DemoConfig config() {
    return new DemoConfig(
        sandbox.baseUrl(),
        Institution.DEFAULTS.stream()
            .map(i -> new DemoInstitution(i.code(), i.name(), i.supportsOAuth()))
            .toList(),
        mx.configured().stream().map(MxApi::wireName).toList(),
        MxSandbox.connectionStatuses());
  }

  /** Starts without a key, so only where every MX API is the sandbox: never against real MX. */
  @PostMapping("/demo/connections")
  public ResponseEntity<StartedConnection> start(@Valid @RequestBody DemoStart start) {
    onlyWithTheSandbox();
    List<String> codes = Institution.DEFAULTS.stream().map(Institution::code).toList();
    if (!codes.contains(start.institutionCode())) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "institution_code must be one of the sandbox's institutions " + codes);
    }
    String id = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    Handled started =
        connections.start(
            new StartConnectionRequest(
                "demo-user",
                id,
                start.institutionCode(),
                null,
                null,
                null,
                null,
                null,
                start.mxApi()));
    return started.answer(new StartedConnection(started.connection(), tokens.issue(id)), true);
  }

  /** The backend's reconnect of a demo connection whose user must sign in again. */
  @PostMapping("/demo/connections/{id}/reconnect")
  public ResponseEntity<StartedConnection> reconnect(@PathVariable String id) {
    onlyWithTheSandbox();
    Handled reconnecting = connections.reconnect(demoConnection(id));
    return reconnecting.answer(
        new StartedConnection(reconnecting.connection(), tokens.issue(id)), false);
  }

  /** Plays the bank: the demo connection's member at the sandbox takes an MX status. */
  @PostMapping("/demo/connections/{id}/mx-status")
  public ResponseEntity<Void> mxStatus(
      @PathVariable String id, @Valid @RequestBody DemoStatus status) {
    onlyWithTheSandbox();
    String memberGuid = connections.view(demoConnection(id)).memberGuid();
    return switch (sandbox.changeConnectionStatus(memberGuid, status.connectionStatus())) {
      case CHANGED -> ResponseEntity.noContent().build();
      case UNKNOWN_STATUS ->
          throw new ApiException(
              HttpStatus.BAD_REQUEST,
              "Invalid request",
              "connection_status must be one of MX's statuses " + MxSandbox.connectionStatuses());
      case UNKNOWN_MEMBER ->
          throw new ApiException(
              HttpStatus.CONFLICT, "No member yet", "the connection has no member at MX yet");
    };
  }

  private void onlyWithTheSandbox() {
    if (!development.onlyTheSandboxIsReachable()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "the demo acts on connections only when every MX API is the embedded sandbox");
    }
  }

  /** Only the demo's own connections: ids it made up. */
  private static String demoConnection(String id) {
    if (!id.matches("demo-[0-9a-f]{8}")) {
      throw new ApiException(
          HttpStatus.NOT_FOUND, "No such connection", "no demo connection " + id);
    }
    return id;
  }
}
