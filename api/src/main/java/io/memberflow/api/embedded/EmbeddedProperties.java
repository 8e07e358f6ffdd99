package io.memberflow.api.embedded;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the service runs inside itself. The {@code embedded} profile, active when no other is,
 * turns both on, which makes one command start a complete development setup; any other profile
 * leaves them off and points at real services.
 *
 * @param temporal Temporal's Java server, in-process on a real gRPC port (state in memory)
 * @param sandbox the MX sandbox, which also hosts a webhook inbox
 */
@Validated
@ConfigurationProperties("memberflow.embedded")
public record EmbeddedProperties(@Valid Temporal temporal, @Valid Sandbox sandbox) {

  public EmbeddedProperties {
    temporal = temporal == null ? new Temporal(false, 7233) : temporal;
    sandbox = sandbox == null ? new Sandbox(false, 8091, Sandbox.DEV_WEBHOOK_SECRET) : sandbox;
  }

  /**
   * @param enabled start Temporal's Java server in this process (default false; true in the
   *     embedded profile)
   * @param port its gRPC port (default 7233, Temporal's usual one)
   */
  public record Temporal(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("7233") @Min(1) @Max(65535) int port) {}

  /**
   * @param enabled start the MX sandbox in this process (default false; true in the embedded
   *     profile)
   * @param port its HTTP port (default 8091)
   * @param webhookSecret the secret its webhook inbox verifies signatures with; a development
   *     value by default, which the default webhook endpoint shares
   */
  public record Sandbox(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("8091") @Min(1) @Max(65535) int port,
      @DefaultValue(DEV_WEBHOOK_SECRET) String webhookSecret) {

    /** Development only: "memberflow-dev-webhook-secret" in base64. */
    public static final String DEV_WEBHOOK_SECRET =
        "whsec_bWVtYmVyZmxvdy1kZXYtd2ViaG9vay1zZWNyZXQ=";

    @Override
    public String toString() {
      return "Sandbox[enabled=" + enabled + ", port=" + port + ", webhookSecret=***]";
    }
  }
}
