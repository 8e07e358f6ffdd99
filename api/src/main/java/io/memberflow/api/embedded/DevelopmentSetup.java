package io.memberflow.api.embedded;

import io.memberflow.api.security.SecurityProperties;
import io.memberflow.api.worker.MxProperties;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The embedded setup's development keys, and the start-up guard that keeps them out of anything
 * else: they are public (this README names them), so a service that could reach real MX must not
 * start with them, nor without real ones.
 */
@Component
public class DevelopmentSetup {

  public static final String DEV_BACKEND_KEY = "dev-backend-key";

  /**
   * Fixed, so that browser tokens and APP redirect URLs stay valid when the development service
   * restarts on its durable Temporal server.
   */
  public static final String DEV_BROWSER_TOKEN_SECRET = "memberflow-development-browser-token-secret";

  private final boolean active;

  public DevelopmentSetup(SecurityProperties security, EmbeddedProperties embedded, MxProperties mx) {
    this.active = talksOnlyToTheEmbeddedSandbox(embedded, mx);
    if (active) {
      return;
    }
    if (security.backendApiKeys().isEmpty() || security.backendApiKeys().contains(DEV_BACKEND_KEY)) {
      throw new IllegalStateException(
          "memberflow.security.backend-api-keys must be set to real keys unless every MX API"
              + " is the embedded sandbox (the development key " + DEV_BACKEND_KEY + " is refused)");
    }
    String secret = security.browserTokenSecret();
    if (secret == null || secret.length() < 32 || secret.equals(DEV_BROWSER_TOKEN_SECRET)) {
      throw new IllegalStateException(
          "memberflow.security.browser-token-secret must be set (32 characters or more, not the"
              + " development secret) unless every MX API is the embedded sandbox");
    }
  }

  /** Whether this is the embedded development setup, where only the sandbox is reachable. */
  public boolean active() {
    return active;
  }

  /** The sandbox runs here and every configured MX API points at it: nothing reaches real MX. */
  private static boolean talksOnlyToTheEmbeddedSandbox(EmbeddedProperties embedded, MxProperties mx) {
    if (!embedded.sandbox().enabled()) {
      return false;
    }
    String sandbox = "http://localhost:" + embedded.sandbox().port();
    return Stream.of(
            mx.platform() == null ? null : mx.platform().baseUrl(),
            mx.atrium() == null ? null : mx.atrium().baseUrl(),
            mx.nexus() == null ? null : mx.nexus().baseUrl())
        .filter(Objects::nonNull)
        .allMatch(url -> url.toString().equals(sandbox) || url.toString().startsWith(sandbox + "/"));
  }
}
