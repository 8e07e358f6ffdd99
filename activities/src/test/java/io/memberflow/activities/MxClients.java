package io.memberflow.activities;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.activities.alerts.AlertmanagerAlerter;
import io.memberflow.activities.mx.KeyedEndpoint;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.activities.mx.MxGatewayRouter;
import io.memberflow.activities.mx.MxTransport;
import io.memberflow.activities.mx.NexusEndpoint;
import io.memberflow.activities.mx.RedirectSigner;
import io.memberflow.activities.webhooks.StandardWebhookNotifier;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflowImpl;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.web.client.RestClient;

/** The three real MX clients, pointed at a sandbox with its default credentials. */
public final class MxClients {

  private MxClients() {}

  public static MxClient platform(MxSandbox sandbox, MeterRegistry registry) {
    return MxClient.platform(
        keyed(sandbox.platformBaseUrl(), SandboxConfig.DEFAULT_API_KEY), transport(registry));
  }

  public static MxClient atrium(MxSandbox sandbox, MeterRegistry registry) {
    return MxClient.atrium(
        keyed(sandbox.atriumBaseUrl(), SandboxConfig.DEFAULT_API_KEY), transport(registry));
  }

  public static MxClient nexus(MxSandbox sandbox, MeterRegistry registry) {
    return MxClient.nexus(
        new NexusEndpoint(
            URI.create(sandbox.nexusBaseUrl()), SandboxConfig.DEFAULT_NEXUS_API_TOKEN),
        transport(registry));
  }

  /** The settings of a Platform or Atrium API at this base URL, with the sandbox's client id. */
  public static KeyedEndpoint keyed(String baseUrl, String apiKey) {
    return new KeyedEndpoint(URI.create(baseUrl), SandboxConfig.DEFAULT_CLIENT_ID, apiKey);
  }

  /** What the service builds its clients on, with Spring's default JSON settings. */
  public static MxTransport transport(MeterRegistry registry, Duration timeout) {
    return new MxTransport(
        RestClient.builder(),
        MxTransport.pooledRequests(timeout, 16),
        registry,
        RedirectSigner.NONE,
        1000);
  }

  public static MxTransport transport(MeterRegistry registry) {
    return transport(registry, Duration.ofSeconds(5));
  }

  public static MxGatewayRouter router(MxSandbox sandbox, MeterRegistry registry) {
    return new MxGatewayRouter(
        Map.of(
            MxApi.PLATFORM, platform(sandbox, registry),
            MxApi.ATRIUM, atrium(sandbox, registry),
            MxApi.NEXUS, nexus(sandbox, registry)));
  }

  /**
   * Starts a worker with the real workflow, this MX gateway and real (receiver-less) webhook and
   * alert activities on a test environment.
   */
  public static void startWorker(
      TestWorkflowEnvironment env, MxGateway mx, MeterRegistry registry) {
    HttpClient http = HttpClient.newHttpClient();
    ConnectionSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(ConnectionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ConnectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        mx,
        new StandardWebhookNotifier(
            List.of(),
            new ObjectMapper(),
            http,
            Duration.ofSeconds(5),
            Clock.systemUTC(),
            registry),
        new AlertmanagerAlerter(
            null, new ObjectMapper(), http, Duration.ofSeconds(5), Duration.ofHours(1), registry));
    env.start();
  }

  /**
   * What a person does in the OAuth window: open the institution page, pick an outcome ({@code
   * success}, an error_reason, or {@code success&on_new_member=true}); returns the page MX ends on.
   */
  public static String completeInTheWindow(MxSandbox sandbox, String oauthWindowUri, String outcome)
      throws Exception {
    HttpClient browser = HttpClient.newHttpClient();
    assertThat(
            browser
                .send(
                    HttpRequest.newBuilder(URI.create(oauthWindowUri)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .isEqualTo(200);
    String token = oauthWindowUri.substring(oauthWindowUri.lastIndexOf('/') + 1);
    URI complete =
        URI.create(sandbox.baseUrl() + "/oauth/complete/" + token + "?outcome=" + outcome);
    HttpResponse<String> ended =
        browser.send(
            HttpRequest.newBuilder(complete).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ended.statusCode()).isEqualTo(200);
    return ended.body();
  }
}
