package io.memberflow.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.service.security.DevelopmentKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The production service must not start with development or missing keys. */
class StartupGuardTest {

  /** Command-line arguments, as an operator would pass them: they win over application.yml. */
  private static void startForRealMx(String... arguments) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.temporal.start-workers=false",
                "--memberflow.mx.platform.base-url=https://int-api.mx.com",
                "--memberflow.mx.platform.client-id=client",
                "--memberflow.mx.platform.api-key=key"));
    args.addAll(List.of(arguments));
    new SpringApplicationBuilder(MemberflowApplication.class)
        .run(args.toArray(String[]::new))
        .close();
  }

  @Test
  void refusesToStartWithoutBackendKeys() {
    assertThatThrownBy(() -> startForRealMx())
        .rootCause()
        .hasMessageContaining("memberflow.security.backend-api-keys must be set");
  }

  @Test
  void aProductionStartNamesTheMissingMxSettings() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(MemberflowApplication.class)
                    .run(
                        "--server.port=0",
                        "--spring.profiles.active=production",
                        "--spring.temporal.start-workers=false",
                        // Its keys are there; what is missing is MX.
                        "--memberflow.security.backend-api-keys=a-real-key-123",
                        "--memberflow.security.browser-token-secret=a-real-browser-token-secret-0123456789",
                        "--memberflow.encryption.keys.k1=cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTE=",
                        "--memberflow.encryption.active-key=k1",
                        "--memberflow.encryption.index-key=cmVhbC1zZXJ2ZXItYmxpbmQtaW5kZXgta2V5LTAwMDA=")
                    .close())
        .rootCause()
        .hasMessageContaining(
            "memberflow.mx.default-api is platform but memberflow.mx.platform is not configured");
  }

  @Test
  void refusesTheDevelopmentKey() {
    assertThatThrownBy(
            () -> startForRealMx("--memberflow.security.backend-api-keys=dev-backend-key"))
        .rootCause()
        .hasMessageContaining("the development key dev-backend-key is refused");
  }

  @Test
  void refusesAMissingBrowserTokenSecret() {
    assertThatThrownBy(
            () -> startForRealMx("--memberflow.security.backend-api-keys=a-real-key-123"))
        .rootCause()
        .hasMessageContaining("memberflow.security.browser-token-secret must be set");
  }

  @Test
  void refusesTheDevelopmentBrowserTokenSecret() {
    assertThatThrownBy(
            () ->
                startForRealMx(
                    "--memberflow.security.backend-api-keys=a-real-key-123",
                    "--memberflow.security.browser-token-secret="
                        + DevelopmentKeys.BROWSER_TOKEN_SECRET))
        .rootCause()
        .hasMessageContaining("not the development secret");
  }

  @Test
  void refusesTheDevelopmentEncryptionKeys() {
    String development = DevelopmentKeys.ENCRYPTION_KEYS.iterator().next();
    assertThatThrownBy(
            () ->
                startForRealMx(
                    "--memberflow.security.backend-api-keys=a-real-key-123",
                    "--memberflow.security.browser-token-secret=a-real-browser-token-secret-0123456789",
                    "--memberflow.encryption.keys.k1=" + development,
                    "--memberflow.encryption.active-key=k1"))
        .rootCause()
        .hasMessageContaining("memberflow.encryption.keys and .index-key must be real keys");
  }

  @Test
  void refusesAnApiLimitThatCannotWork() {
    assertThatThrownBy(
            () ->
                startForRealMx(
                    "--memberflow.security.backend-api-keys=a-real-key-123",
                    "--memberflow.security.browser-token-secret=a-real-browser-token-secret-0123456789",
                    "--memberflow.encryption.keys.k1=cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTE=",
                    "--memberflow.encryption.active-key=k1",
                    "--memberflow.encryption.index-key=cmVhbC1zZXJ2ZXItYmxpbmQtaW5kZXgta2V5LTAwMDA=",
                    "--memberflow.api.update-wait=0s"))
        .rootCause()
        .hasMessageContaining(
            "\"memberflow.api.update-wait\" from property source \"commandLineArgs\"")
        .hasMessageContaining("must be a positive duration");
  }

  @Test
  void refusesToStartWithoutAnEncryptionKey() {
    assertThatThrownBy(
            () ->
                startForRealMx(
                    "--memberflow.security.backend-api-keys=a-real-key-123",
                    "--memberflow.security.browser-token-secret=a-real-browser-token-secret-0123456789"))
        .rootCause()
        .hasMessageContaining(
            "memberflow.encryption.active-key must name one of memberflow.encryption.keys");
  }
}
