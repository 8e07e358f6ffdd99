package io.memberflow.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import io.memberflow.api.embedded.DevelopmentSetup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Outside the sandbox, the service must not start with development or missing keys. */
class StartupGuardTest {

  /** Command-line arguments, as an operator would pass them: they win over application.yml. */
  private static void startWithoutSandbox(String... arguments) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--memberflow.embedded.temporal.enabled=false",
        "--memberflow.embedded.sandbox.enabled=false",
        "--spring.temporal.start-workers=false"));
    args.addAll(List.of(arguments));
    new SpringApplicationBuilder(MemberflowApplication.class).run(args.toArray(String[]::new)).close();
  }

  @Test
  void refusesToStartWithoutBackendKeys() {
    assertThatThrownBy(() -> startWithoutSandbox())
        .rootCause()
        .hasMessageContaining("memberflow.security.backend-api-keys must be set");
  }

  @Test
  void aProductionStartNamesTheMissingMxSettings() {
    assertThatThrownBy(() -> new SpringApplicationBuilder(MemberflowApplication.class)
            .run("--server.port=0", "--spring.profiles.active=production", "--spring.temporal.start-workers=false")
            .close())
        .rootCause()
        .hasMessageContaining("memberflow.mx.default-api is platform but memberflow.mx.platform is not configured");
  }

  @Test
  void refusesTheDevelopmentKey() {
    assertThatThrownBy(() -> startWithoutSandbox("--memberflow.security.backend-api-keys=dev-backend-key"))
        .rootCause()
        .hasMessageContaining("the development key dev-backend-key is refused");
  }

  @Test
  void refusesDevelopmentKeysWhenAnMxApiIsNotTheSandbox() throws Exception {
    int sandboxPort = EmbeddedTestPorts.freePort();
    assertThatThrownBy(() -> new SpringApplicationBuilder(MemberflowApplication.class).run(
            "--server.port=0",
            "--memberflow.embedded.temporal.enabled=false",
            "--spring.temporal.start-workers=false",
            "--memberflow.embedded.sandbox.port=" + sandboxPort,
            "--memberflow.mx.platform.base-url=https://int-api.mx.com").close())
        .rootCause()
        .hasMessageContaining("unless every MX API is the embedded sandbox");
  }

  @Test
  void refusesAMissingBrowserTokenSecret() {
    assertThatThrownBy(() -> startWithoutSandbox("--memberflow.security.backend-api-keys=a-real-key-123"))
        .rootCause()
        .hasMessageContaining("memberflow.security.browser-token-secret must be set");
  }

  @Test
  void refusesTheDevelopmentBrowserTokenSecret() {
    assertThatThrownBy(() -> startWithoutSandbox(
            "--memberflow.security.backend-api-keys=a-real-key-123",
            "--memberflow.security.browser-token-secret=" + DevelopmentSetup.DEV_BROWSER_TOKEN_SECRET))
        .rootCause()
        .hasMessageContaining("not the development secret");
  }
}
