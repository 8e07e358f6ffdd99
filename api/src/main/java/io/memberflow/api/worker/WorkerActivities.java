package io.memberflow.api.worker;

import io.memberflow.activities.alerts.AlertmanagerAlerter;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.platform.PlatformMxGateway;
import io.memberflow.activities.mx.platform.PlatformSettings;
import io.memberflow.activities.webhooks.StandardWebhookNotifier;
import io.memberflow.activities.webhooks.WebhookEndpoint;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
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

  @Bean
  MxGateway mxGateway(MxProperties mx, HttpClient outboundHttpClient, MeterRegistry registry) {
    MxProperties.Platform platform = mx.platform();
    return new PlatformMxGateway(
        new PlatformSettings(platform.baseUrl(), platform.clientId(), platform.apiKey()),
        new MxHttp("platform", outboundHttpClient, mx.requestTimeout(), registry));
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
