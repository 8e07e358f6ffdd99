package io.memberflow.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a sandbox behaves.
 *
 * @param address the address to listen on (127.0.0.1 by default)
 * @param port the port to listen on; 0 picks a free one
 * @param clientId the client id it accepts (Platform and Atrium)
 * @param apiKey the API key it accepts (Platform and Atrium)
 * @param nexusApiToken the {@code MD-API-TOKEN} that opens Nexus sessions
 * @param institutions the institutions it knows
 * @param faults errors and latency injected into API calls (never into the OAuth pages)
 * @param frontendOrigin the origin the OAuth-complete page posts its message to
 * @param webhookSecret the Standard Webhooks secret its webhook inbox verifies with; null: no inbox
 * @param stateFile where it keeps users, members and windows across restarts; null: memory only
 */
public record SandboxConfig(
    String address,
    int port,
    String clientId,
    String apiKey,
    String nexusApiToken,
    List<Institution> institutions,
    Faults faults,
    String frontendOrigin,
    String webhookSecret,
    Path stateFile) {

  public static final String LOOPBACK = "127.0.0.1";
  public static final String DEFAULT_CLIENT_ID = "sandbox-client";
  public static final String DEFAULT_API_KEY = "sandbox-api-key";
  public static final String DEFAULT_NEXUS_API_TOKEN = "sandbox-nexus-token";

  public SandboxConfig {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(nexusApiToken, "nexusApiToken");
    institutions = List.copyOf(institutions);
    faults = faults == null ? Faults.NONE : faults;
  }

  /** A sandbox on a free port with the default credentials and institutions. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        LOOPBACK,
        0,
        DEFAULT_CLIENT_ID,
        DEFAULT_API_KEY,
        DEFAULT_NEXUS_API_TOKEN,
        Institution.DEFAULTS,
        Faults.NONE,
        "http://localhost:8080",
        null,
        null);
  }

  public SandboxConfig withWebhookSecret(String webhookSecret) {
    return new SandboxConfig(
        address,
        port,
        clientId,
        apiKey,
        nexusApiToken,
        institutions,
        faults,
        frontendOrigin,
        webhookSecret,
        stateFile);
  }

  public SandboxConfig withStateFile(Path stateFile) {
    return new SandboxConfig(
        address,
        port,
        clientId,
        apiKey,
        nexusApiToken,
        institutions,
        faults,
        frontendOrigin,
        webhookSecret,
        stateFile);
  }
}
