package io.memberflow.service.worker;

import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.notifications.NotificationProperties;

import io.memberflow.activities.alerts.AlertmanagerAlerter;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.activities.mx.MxGatewayRouter;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.atrium.AtriumMxClient;
import io.memberflow.activities.mx.KeyedEndpoint;
import io.memberflow.activities.mx.nexus.NexusMxClient;
import io.memberflow.activities.mx.nexus.NexusSessions;
import io.memberflow.activities.mx.nexus.NexusEndpoint;
import io.memberflow.activities.mx.platform.PlatformMxClient;
import io.memberflow.activities.webhooks.StandardWebhookNotifier;
import io.memberflow.activities.webhooks.WebhookEndpoint;
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

/**
 * The activity implementations the worker registers (by bean name, in
 * {@code spring.temporal.workers[0].activity-beans}).
 */
@Configuration(proxyBeanMethods = false)
public class WorkerActivities {

  /** One HTTP client for all outbound calls: it pools connections and is thread-safe. */
  @Bean
  HttpClient outboundHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** One client per configured MX API; the workflow's calls name which one they need. */
  @Bean
  MxGateway mxGateway(MxProperties mx, HttpClient outboundHttpClient, MeterRegistry registry) {
    Map<MxApi, MxClient> clients = new EnumMap<>(MxApi.class);
    if (mx.platform() != null) {
      clients.put(
          MxApi.PLATFORM,
          new PlatformMxClient(
              mx.platform(),
              http(MxApi.PLATFORM, mx, outboundHttpClient, registry)));
    }
    if (mx.atrium() != null) {
      clients.put(
          MxApi.ATRIUM,
          new AtriumMxClient(
              mx.atrium(),
              http(MxApi.ATRIUM, mx, outboundHttpClient, registry)));
    }
    if (mx.nexus() != null) {
      NexusEndpoint settings = mx.nexus();
      MxHttp http = http(MxApi.NEXUS, mx, outboundHttpClient, registry);
      clients.put(MxApi.NEXUS, new NexusMxClient(settings, http, new NexusSessions(settings, http)));
    }
    return new MxGatewayRouter(clients);
  }

  private static MxHttp http(MxApi api, MxProperties mx, HttpClient client, MeterRegistry registry) {
    return new MxHttp(api.wireName(), client, mx.requestTimeout(), registry);
  }

  @Bean
  ConnectionNotifier connectionNotifier(
      NotificationProperties notifications, HttpClient outboundHttpClient, MeterRegistry registry) {
    return new StandardWebhookNotifier(
        notifications.webhooks().stream()
            .map(w -> new WebhookEndpoint(w.url(), w.secret()))
            .toList(),
        outboundHttpClient,
        notifications.webhookTimeout(),
        Clock.systemUTC(),
        registry);
  }

  @Bean
  OperatorAlerter operatorAlerter(
      NotificationProperties notifications, HttpClient outboundHttpClient, MeterRegistry registry) {
    return new AlertmanagerAlerter(
        notifications.alertmanagerUrl(),
        outboundHttpClient,
        notifications.webhookTimeout(),
        notifications.alertResolveAfter(),
        registry);
  }
}
