package io.memberflow.service.connections;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.activities.mx.KeyedEndpoint;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.metrics.MetricsProperties;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.web.ApiProperties;
import io.memberflow.workflows.mx.MxApi;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A start may only name an MX API this deployment has credentials for. */
class MxApiChoiceTest {

  private final MxProperties platformOnly =
      new MxProperties(
          MxApi.PLATFORM,
          new KeyedEndpoint(URI.create("https://int-api.mx.com"), "client", "key"),
          null,
          null,
          Duration.ofSeconds(10),
          null,
          8);

  private final ConnectionService connections =
      new ConnectionService(
          null,
          new PolicyProperties(
              5,
              Duration.ofMinutes(10),
              Duration.ofHours(24),
              Duration.ofHours(1),
              Duration.ofMinutes(2),
              Duration.ofMinutes(30),
              null),
          platformOnly,
          new MetricsProperties(null, Duration.ofSeconds(15)),
          null,
          null,
          null,
          null,
          new ApiProperties(Duration.ofSeconds(15), Duration.ofSeconds(10), 16384, 4194304));

  private static StartConnectionRequest naming(String api) {
    return new StartConnectionRequest("u", "m", "mx_bank_oauth", null, null, null, null, null, api);
  }

  @Test
  void anUnconfiguredApiIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> connections.start(naming("nexus")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.status().value()).isEqualTo(400))
        .hasMessage("mx_api nexus is not configured on this deployment; it has [platform]");
  }

  /** The document's enum is lower case; any other spelling was taken for the API it resembles. */
  @ParameterizedTest
  @ValueSource(strings = {"PLATFORM", "Platform", "ofx", ""})
  void anApiIsNamedOnlyAsTheDocumentSpellsIt(String api) {
    assertThatThrownBy(() -> connections.start(naming(api)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.status().value()).isEqualTo(400))
        .hasMessage("mx_api must be one of [platform, atrium, nexus]");
  }

  @Test
  void aDefaultApiWithoutCredentialsFailsStartUp() {
    assertThatThrownBy(
            () ->
                new MxProperties(
                    MxApi.ATRIUM,
                    platformOnly.platform(),
                    null,
                    null,
                    Duration.ofSeconds(1),
                    null,
                    8))
        .hasMessageContaining(
            "memberflow.mx.default-api is atrium but memberflow.mx.atrium is not configured");
  }
}
