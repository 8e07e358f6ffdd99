package io.memberflow.service.security;

import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The embedded development setup's keys, and the start-up check that keeps them out of anything
 * else. They are public (the README names them), so the service refuses them, and refuses to start
 * without real ones, unless the development setup vouches that every MX API is its local sandbox.
 */
@Component
public class DevelopmentKeys {

  public static final String BACKEND_KEY = "dev-backend-key";

  /**
   * Fixed, so that browser tokens and APP redirect URLs stay valid when the development service
   * restarts on its durable Temporal server.
   */
  public static final String BROWSER_TOKEN_SECRET = "memberflow-development-browser-token-secret";

  /** The embedded profile's payload and index keys: public, so refused like the others. */
  public static final Set<String> ENCRYPTION_KEYS =
      Set.of(
          "bWVtYmVyZmxvdy1kZXZlbG9wbWVudC1wYXlsb2FkLWs=",
          "bWVtYmVyZmxvdy1kZXZlbG9wbWVudC1pbmRleC1rZXk=");

  public static final String OPERATOR_KEY = "dev-operator-key";

  /** The development setup's word that nothing but its sandbox can be reached. */
  public interface Sandboxed {
    boolean onlyTheSandboxIsReachable();
  }

  public DevelopmentKeys(
      SecurityProperties security,
      EncryptionProperties encryption,
      ObjectProvider<Sandboxed> setup) {
    Sandboxed sandboxed = setup.getIfAvailable();
    if (sandboxed != null && sandboxed.onlyTheSandboxIsReachable()) {
      return;
    }
    if (security.backendApiKeys().isEmpty() || security.backendApiKeys().contains(BACKEND_KEY)) {
      throw new IllegalStateException(
          "memberflow.security.backend-api-keys must be set to real keys unless every MX API"
              + " is the embedded sandbox (the development key "
              + BACKEND_KEY
              + " is refused)");
    }
    String secret = security.browserTokenSecret();
    if (secret == null || secret.length() < 32 || secret.equals(BROWSER_TOKEN_SECRET)) {
      throw new IllegalStateException(
          "memberflow.security.browser-token-secret must be set (32 characters or more, not the"
              + " development secret) unless every MX API is the embedded sandbox");
    }
    if (security.operatorApiKeys().contains(OPERATOR_KEY)) {
      throw new IllegalStateException(
          "the development operator key "
              + OPERATOR_KEY
              + " is refused unless every MX API is the embedded sandbox");
    }
    if (encryption.keys().values().stream().anyMatch(ENCRYPTION_KEYS::contains)
        || (encryption.indexKey() != null && ENCRYPTION_KEYS.contains(encryption.indexKey()))) {
      throw new IllegalStateException(
          "memberflow.encryption.keys and .index-key must be real keys (32 random bytes, base64)"
              + " unless every MX API is the embedded sandbox");
    }
  }
}
