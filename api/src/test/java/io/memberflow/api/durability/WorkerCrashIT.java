package io.memberflow.api.durability;

import io.memberflow.api.EmbeddedTestPorts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durability across a real process boundary: Temporal's Java server, the MX sandbox and the
 * service each run as their own process (all from the packaged jar). The service is killed with
 * SIGKILL mid-connection; a new one picks the connection up from Temporal's history.
 */
class WorkerCrashIT {

  private static final Path JAR = Path.of("target", "api-0.1.0-SNAPSHOT.jar");
  private static final String BACKEND_KEY = "crash-test-backend-key";
  private static final String WEBHOOK_SECRET = "whsec_Y3Jhc2gtdGVzdC13ZWJob29rLXNlY3JldA==";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int temporalPort = EmbeddedTestPorts.freePort();
  private final int sandboxPort = EmbeddedTestPorts.freePort();

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void aConnectionSurvivesItsWorkerBeingKilled() throws Exception {
    launch("temporal", "io.temporal.testserver.TestServer", Integer.toString(temporalPort));
    Process sandbox = launch("sandbox", "io.memberflow.sandbox.SandboxMain", "--port=" + sandboxPort, "--webhook-secret=" + WEBHOOK_SECRET);
    awaitUp(sandbox, "http://localhost:" + sandboxPort + "/users/nobody", 401);

    int firstPort = EmbeddedTestPorts.freePort();
    Process first = startService(firstPort);
    JsonNode started = call(firstPort, "POST", "/v1/connections",
        "{\"user_id\":\"crash-user\",\"member_id\":\"crash-member\",\"institution_code\":\"mx_bank_oauth\"}");
    assertThat(started.path("state").asText()).isEqualTo("AWAITING_OAUTH");
    String guid = started.path("member_guid").asText();

    first.destroyForcibly().waitFor();

    int secondPort = EmbeddedTestPorts.freePort();
    startService(secondPort);
    JsonNode retried = call(secondPort, "POST", "/v1/connections/crash-member/oauth-messages",
        "{\"mx\":true,\"type\":\"oauthComplete/error\",\"metadata\":{\"member_guid\":\"" + guid + "\",\"error_reason\":\"CANCELLED\"}}");
    assertThat(retried.path("state").asText()).isEqualTo("AWAITING_OAUTH");
    assertThat(retried.path("attempt").asInt()).isEqualTo(2);
    assertThat(retried.path("oauth_window_uri").asText())
        .startsWith("http://localhost:" + sandboxPort)
        .isNotEqualTo(started.path("oauth_window_uri").asText());

    JsonNode connected = call(secondPort, "POST", "/v1/connections/crash-member/oauth-messages",
        "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\"" + guid + "\"}}");
    assertThat(connected.path("state").asText()).isEqualTo("CONNECTED");
    assertThat(connected.path("transitions")).hasSize(3);
  }

  private Process startService(int port) throws Exception {
    String sandbox = "http://localhost:" + sandboxPort;
    Process service = start("service-" + port, List.of(
        java(), "-jar", JAR.toString(),
        "--server.port=" + port,
        // A production start: nothing embedded, everything from configuration.
        "--spring.profiles.active=production",
        "--spring.temporal.connection.target=localhost:" + temporalPort,
        // The Java test server never times out sticky tasks; a real cluster does after 5s.
        "--memberflow.worker.sticky-schedule-to-start-timeout=0s",
        "--memberflow.mx.platform.base-url=" + sandbox,
        "--memberflow.mx.platform.client-id=sandbox-client",
        "--memberflow.mx.platform.api-key=sandbox-api-key",
        "--memberflow.security.backend-api-keys=" + BACKEND_KEY,
        "--memberflow.security.browser-token-secret=crash-test-browser-token-secret-0123456789",
        "--memberflow.notifications.webhooks[0].url=" + sandbox + "/_sandbox/webhooks",
        "--memberflow.notifications.webhooks[0].secret=" + WEBHOOK_SECRET));
    awaitUp(service, "http://localhost:" + port + "/actuator/health", 200);
    return service;
  }

  /** Runs a main class from the packaged jar, through Spring Boot's launcher. */
  private Process launch(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        java(), "-Dloader.main=" + mainClass, "-cp", JAR.toString(),
        "org.springframework.boot.loader.launch.PropertiesLauncher"));
    command.addAll(List.of(args));
    return start(name, command);
  }

  private Process start(String name, List<String> command) throws IOException {
    File log = Files.createDirectories(Path.of("target", "crash-it")).resolve(name + ".log").toFile();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    processes.add(process);
    return process;
  }

  private JsonNode call(int port, String method, String path, String body) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + BACKEND_KEY)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  private void awaitUp(Process process, String url, Integer... acceptable) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        int status = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (List.of(acceptable).contains(status)) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(url + " did not come up; see api/target/crash-it/*.log");
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

}
