package io.memberflow.service.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.activities.alerts.AlertmanagerAlerter;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.activities.mx.MxGatewayRouter;
import io.memberflow.activities.mx.MxTransport;
import io.memberflow.activities.webhooks.StandardWebhookNotifier;
import io.memberflow.activities.webhooks.WebhookEndpoint;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.notifications.NotificationProperties;
import io.memberflow.service.security.AppRedirects;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The activity implementations the worker registers (by bean name, in {@code
 * spring.temporal.workers[0].activity-beans}).
 */
@Configuration(proxyBeanMethods = false)
public class WorkerActivities {

  /** One HTTP client for webhooks and alerts: it pools connections and is thread-safe. */
  @Bean
  HttpClient outboundHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Pooled connections to MX, closed with the application. */
  @Bean
  HttpComponentsClientHttpRequestFactory mxRequests(MxProperties mx) {
    return MxTransport.pooledRequests(mx.requestTimeout(), mx.maxConnections());
  }

  /**
   * One client per configured MX API; the workflow's calls name which one they need. They are built
   * from Spring's RestClient builder, so they read and write JSON with the application's one
   * ObjectMapper.
   */
  @Bean
  MxGateway mxGateway(
      MxProperties mx,
      RestClient.Builder restClients,
      HttpComponentsClientHttpRequestFactory mxRequests,
      AppRedirects redirects,
      MeterRegistry registry) {
    MxTransport transport =
        new MxTransport(restClients, mxRequests, registry, redirects, mx.knownUsers());
    Map<MxApi, MxClient> clients = new EnumMap<>(MxApi.class);
    if (mx.platform() != null) {
      clients.put(MxApi.PLATFORM, MxClient.platform(mx.platform(), transport));
    }
    if (mx.atrium() != null) {
      clients.put(MxApi.ATRIUM, MxClient.atrium(mx.atrium(), transport));
    }
    if (mx.nexus() != null) {
      clients.put(MxApi.NEXUS, MxClient.nexus(mx.nexus(), transport));
    }
    return new MxGatewayRouter(clients);
  }

  @Bean
  ConnectionNotifier connectionNotifier(
      NotificationProperties notifications,
      ObjectMapper json,
      HttpClient outboundHttpClient,
      MeterRegistry registry) {
    return new StandardWebhookNotifier(
        notifications.webhooks().stream()
            .map(w -> new WebhookEndpoint(w.url(), w.secret()))
            .toList(),
        json,
        outboundHttpClient,
        notifications.webhookTimeout(),
        Clock.systemUTC(),
        registry);
  }

  @Bean
  OperatorAlerter operatorAlerter(
      NotificationProperties notifications,
      ObjectMapper json,
      HttpClient outboundHttpClient,
      MeterRegistry registry) {
    return new AlertmanagerAlerter(
        notifications.alertmanagerUrl(),
        json,
        outboundHttpClient,
        notifications.webhookTimeout(),
        notifications.alertResolveAfter(),
        registry);
  }
}
