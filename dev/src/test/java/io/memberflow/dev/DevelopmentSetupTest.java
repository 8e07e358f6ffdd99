package io.memberflow.dev;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The development keys are accepted only where every MX API is the embedded sandbox. */
class DevelopmentSetupTest {

  @Test
  void refusesDevelopmentKeysWhenAnMxApiIsNotTheSandbox() throws Exception {
    int sandboxPort = EmbeddedTestPorts.freePort();
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(DevApplication.class)
                    .run(
                        "--server.port=0",
                        "--memberflow.embedded.temporal.enabled=false",
                        "--spring.temporal.start-workers=false",
                        "--memberflow.embedded.sandbox.port=" + sandboxPort,
                        "--memberflow.mx.platform.base-url=https://int-api.mx.com")
                    .close())
        .rootCause()
        .hasMessageContaining("unless every MX API is the embedded sandbox");
  }
}
