package io.memberflow.api.embedded;

import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.temporal.testserver.TestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the in-process Temporal server and MX sandbox of the embedded default. */
@Configuration(proxyBeanMethods = false)
public class EmbeddedServices {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);
  static final String TEMPORAL_BEAN = "embeddedTemporalServer";

  /**
   * Temporal's Java server on a real gRPC port: other clients and workers can connect to it. Time
   * runs normally (time skipping stays locked).
   */
  @Bean(name = TEMPORAL_BEAN, destroyMethod = "close")
  @ConditionalOnProperty(name = "memberflow.embedded.temporal.enabled", havingValue = "true")
  TestServer.PortBoundTestServer embeddedTemporalServer(EmbeddedProperties properties) {
    int port = properties.temporal().port();
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    log.info("Embedded Temporal server listening on localhost:{} (state in memory)", port);
    return server;
  }

  /** The starter's client must not reach for Temporal before the embedded server is up. */
  @Bean
  static BeanFactoryPostProcessor temporalClientAfterEmbeddedServer() {
    return beanFactory -> {
      if (beanFactory.containsBeanDefinition(TEMPORAL_BEAN)
          && beanFactory.containsBeanDefinition("temporalWorkflowServiceStubs")) {
        beanFactory.getBeanDefinition("temporalWorkflowServiceStubs").setDependsOn(TEMPORAL_BEAN);
      }
    };
  }

  /** With the sandbox's own development credentials, which the default MX settings use. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "memberflow.embedded.sandbox.enabled", havingValue = "true")
  MxSandbox embeddedMxSandbox(
      EmbeddedProperties properties,
      @Value("${server.port:8080}") int serverPort) {
    SandboxConfig defaults = SandboxConfig.defaults();
    return MxSandbox.start(
        new SandboxConfig(
            properties.sandbox().port(),
            defaults.clientId(),
            defaults.apiKey(),
            defaults.nexusApiToken(),
            defaults.institutions(),
            defaults.faults(),
            "http://localhost:" + serverPort,
            properties.sandbox().webhookSecret()));
  }
}
