package io.memberflow.service.connections;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.activities.mx.KeyedEndpoint;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.workflows.mx.MxApi;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A start may only name an MX API this deployment has credentials for, spelled as documented. */
class MxApiChoiceTest {

  private final MxProperties platformOnly =
      new MxProperties(
          MxApi.PLATFORM,
          new KeyedEndpoint(URI.create("https://int-api.mx.com"), "client", "key"),
          null,
          null,
          Duration.ofSeconds(10),
          null,
          8,
          1000);

  private final StartOptions options = new StartOptions(platformOnly, null);

  @Test
  void anUnconfiguredApiIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> options.mxApi("nexus"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.status().value()).isEqualTo(400))
        .hasMessage("mx_api nexus is not configured on this deployment; it has [platform]");
  }

  /** The document's enum is lower case; any other spelling was taken for the API it resembles. */
  @ParameterizedTest
  @ValueSource(strings = {"PLATFORM", "Platform", "ofx", ""})
  void anApiIsNamedOnlyAsTheDocumentSpellsIt(String api) {
    assertThatThrownBy(() -> options.mxApi(api))
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
                    8,
                    1000))
        .hasMessageContaining(
            "memberflow.mx.default-api is atrium but memberflow.mx.atrium is not configured");
  }
}
