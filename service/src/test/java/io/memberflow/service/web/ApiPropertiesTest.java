package io.memberflow.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The API's waits and body limits as operators set them, bound and validated as at start-up. */
class ApiPropertiesTest {

  @EnableConfigurationProperties(ApiProperties.class)
  static class Settings {}

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withUserConfiguration(Settings.class);

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    context.run(
        started ->
            assertThat(started.getBean(ApiProperties.class))
                .isEqualTo(
                    new ApiProperties(
                        Duration.ofSeconds(15), Duration.ofSeconds(10), 16384, 4194304)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "temporal-deadline, 0s, must be a positive duration",
    "update-wait, -1s, must be a positive duration",
    "max-body-bytes, 0, must be greater than 0",
    "max-codec-body-bytes, -1, must be greater than 0"
  })
  void aValueThatCannotWorkFailsStartUpNamingItsKey(String key, String value, String reason) {
    context
        .withPropertyValues("memberflow.api." + key + "=" + value)
        .run(
            started ->
                assertThat(started)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("\"memberflow.api." + key + "\"")
                    .hasMessageContaining(reason));
  }
}
