package io.memberflow.dev.embedded;

import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.security.DevelopmentKeys;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Whether this is the development setup proper: the sandbox runs here and every configured MX API
 * points at it, so nothing reaches real MX. Only then are the public development keys accepted
 * ({@link DevelopmentKeys}) and may the demo start connections without a key.
 */
@Component
public class DevelopmentSetup implements DevelopmentKeys.Sandboxed {

  private final boolean active;

  public DevelopmentSetup(EmbeddedProperties embedded, MxProperties mx) {
    this.active = talksOnlyToTheEmbeddedSandbox(embedded, mx);
  }

  @Override
  public boolean onlyTheSandboxIsReachable() {
    return active;
  }

  private static boolean talksOnlyToTheEmbeddedSandbox(
      EmbeddedProperties embedded, MxProperties mx) {
    if (!embedded.sandbox().enabled()) {
      return false;
    }
    String sandbox = "http://localhost:" + embedded.sandbox().port();
    return Stream.of(
            mx.platform() == null ? null : mx.platform().baseUrl(),
            mx.atrium() == null ? null : mx.atrium().baseUrl(),
            mx.nexus() == null ? null : mx.nexus().baseUrl())
        .filter(Objects::nonNull)
        .allMatch(
            url -> url.toString().equals(sandbox) || url.toString().startsWith(sandbox + "/"));
  }
}
