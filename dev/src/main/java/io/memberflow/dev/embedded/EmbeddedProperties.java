package io.memberflow.dev.embedded;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the service runs beside itself. The {@code embedded} profile, active when no other is, turns
 * both on, which makes one command start a complete development setup; any other profile leaves
 * them off and points at real services.
 *
 * @param address the address every embedded listener binds to (default 127.0.0.1: nothing is
 *     reachable from the network; the dev server has no authentication)
 * @param dataDir where the embedded setup keeps its state across restarts: the Temporal dev
 *     server's SQLite file, its log, and the sandbox's users and members (default {@code
 *     ~/.memberflow/dev}; delete it for a clean slate)
 * @param temporal the Temporal server
 * @param sandbox the MX sandbox, which also hosts a webhook inbox
 */
@Validated
@ConfigurationProperties("memberflow.embedded")
public record EmbeddedProperties(
    @DefaultValue("127.0.0.1") @NotBlank String address,
    Path dataDir,
    @Valid @NotNull @DefaultValue Temporal temporal,
    @Valid @NotNull @DefaultValue Sandbox sandbox) {

  public EmbeddedProperties {
    dataDir =
        dataDir == null ? Path.of(System.getProperty("user.home"), ".memberflow", "dev") : dataDir;
  }

  /** Which Temporal server the embedded setup runs. */
  public enum TemporalServer {
    /** The Temporal CLI's dev server when the CLI is found, else Temporal's Java test server. */
    AUTO,
    /** The Temporal CLI's dev server; start-up fails when the CLI is missing. */
    DEV_SERVER,
    /** Temporal's Java test server, in this process; state in memory only, no visibility. */
    TEST_SERVER
  }

  /**
   * @param enabled run a Temporal server for this service (default false; true in the embedded
   *     profile)
   * @param server which one (default auto)
   * @param port its gRPC port (default 7233, Temporal's usual one)
   * @param uiPort the dev server's Web UI port (default 8233); 0 runs it without the UI
   * @param cli the Temporal CLI to run; empty (the default) looks for {@code temporal} on the PATH,
   *     then where {@code scripts/install-temporal-cli} puts it ({@code $GOBIN}, {@code ~/go/bin})
   * @param startTimeout how long the dev server may take to answer (default 60s)
   */
  public record Temporal(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("auto") @NotNull TemporalServer server,
      @DefaultValue("7233") @Min(1) @Max(65535) int port,
      @DefaultValue("8233") @Min(0) @Max(65535) int uiPort,
      Path cli,
      @DefaultValue("60s") @NotNull Duration startTimeout) {}

  /**
   * @param enabled start the MX sandbox in this process (default false; true in the embedded
   *     profile)
   * @param port its HTTP port (default 8091)
   * @param webhookSecret the secret its webhook inbox verifies signatures with; a development value
   *     by default, which the default webhook endpoint shares
   * @param frontendOrigin the origin of the page that opens MX's window, to which the
   *     OAuth-complete page posts its message; empty (the default) is this service's own (its demo
   *     page), another is an integrator's page on its own origin (then list it in {@code
   *     memberflow.frontend.allowed-origins} too)
   */
  public record Sandbox(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("8091") @Min(1) @Max(65535) int port,
      @DefaultValue(DEV_WEBHOOK_SECRET) String webhookSecret,
      URI frontendOrigin) {

    /** Development only: "memberflow-dev-webhook-secret" in base64. */
    public static final String DEV_WEBHOOK_SECRET =
        "whsec_bWVtYmVyZmxvdy1kZXYtd2ViaG9vay1zZWNyZXQ=";

    @Override
    public String toString() {
      return "Sandbox[enabled=" + enabled + ", port=" + port + ", webhookSecret=***]";
    }
  }
}
