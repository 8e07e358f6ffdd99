package io.memberflow.dev.embedded;

import io.memberflow.dev.embedded.EmbeddedProperties.TemporalServer;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.service.mx.MxProperties;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the Temporal server and MX sandbox of the embedded default. */
@Configuration(proxyBeanMethods = false)
public class EmbeddedServices {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);
  static final String TEMPORAL_BEAN = "embeddedTemporalServer";

  /**
   * The Temporal CLI's dev server when the CLI is there (durable, with visibility and the Web UI),
   * else Temporal's Java test server in this process.
   */
  @Bean(name = TEMPORAL_BEAN, destroyMethod = "close")
  @ConditionalOnProperty(name = "memberflow.embedded.temporal.enabled", havingValue = "true")
  EmbeddedTemporal embeddedTemporalServer(
      EmbeddedProperties properties, ObjectProvider<EarlyTemporalStart.Starting> early) {
    EarlyTemporalStart.Starting starting = early.getIfAvailable();
    return starting != null ? starting.take() : startTemporal(properties);
  }

  static EmbeddedTemporal startTemporal(EmbeddedProperties properties) {
    EmbeddedProperties.Temporal temporal = properties.temporal();
    Optional<Path> cli =
        temporal.server() == TemporalServer.TEST_SERVER
            ? Optional.empty()
            : TemporalCli.locate(temporal.cli());
    if (cli.isPresent()) {
      return TemporalDevServer.start(
          new TemporalDevServer.Settings(
              cli.get(),
              properties.address(),
              temporal.port(),
              temporal.uiPort(),
              properties.dataDir(),
              temporal.startTimeout()));
    }
    if (temporal.server() == TemporalServer.DEV_SERVER) {
      throw new IllegalStateException(
          "memberflow.embedded.temporal.server is dev-server but no Temporal CLI was found"
              + (temporal.cli() == null ? "" : " at " + temporal.cli())
              + ": run "
              + TemporalCli.INSTALL_SCRIPT);
    }
    InMemoryTemporal server = InMemoryTemporal.start(properties.address(), temporal.port());
    log.warn(
        "Temporal's Java test server on {}:{}: state in memory only, lost when the service stops,"
            + " and no listing or counting of connections.{}",
        properties.address(),
        temporal.port(),
        temporal.server() == TemporalServer.AUTO
            ? " For a durable dev server, run " + TemporalCli.INSTALL_SCRIPT + " and start again."
            : "");
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

  /**
   * With the sandbox's own development credentials, which the default MX settings use. Its users
   * and members are kept in the data directory, as MX keeps them, so that connections waiting in a
   * durable Temporal server still find their member after a restart.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "memberflow.embedded.sandbox.enabled", havingValue = "true")
  MxSandbox embeddedMxSandbox(
      EmbeddedProperties properties, @Value("${server.port:8080}") int serverPort) {
    SandboxConfig defaults = SandboxConfig.defaults();
    return MxSandbox.start(
        new SandboxConfig(
            properties.address(),
            properties.sandbox().port(),
            defaults.clientId(),
            defaults.apiKey(),
            defaults.nexusApiToken(),
            defaults.institutions(),
            defaults.faults(),
            properties.sandbox().frontendOrigin() == null
                ? "http://localhost:" + serverPort
                : properties.sandbox().frontendOrigin().toString(),
            properties.sandbox().webhookSecret(),
            properties.dataDir().resolve("mx-sandbox.json")));
  }

  /**
   * Once this service listens, the sandbox sends MX's webhooks to it, as MX would once the URL and
   * credentials are set in its client dashboard.
   */
  @Bean
  @ConditionalOnProperty(name = "memberflow.embedded.sandbox.enabled", havingValue = "true")
  ApplicationListener<WebServerInitializedEvent> mxWebhooksToThisService(
      MxSandbox sandbox, MxProperties mx, EmbeddedProperties properties) {
    return event -> {
      if (mx.webhooks() != null) {
        sandbox.sendMxWebhooksTo(
            URI.create(
                "http://"
                    + properties.address()
                    + ":"
                    + event.getWebServer().getPort()
                    + "/v1/mx/webhooks"),
            mx.webhooks().username(),
            mx.webhooks().password());
      }
    };
  }
}
