package io.memberflow.activities;

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
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.connection.ConnectionSearchAttributes;
import io.memberflow.workflows.connection.ConnectionWorkflow;
import io.memberflow.workflows.connection.ConnectionWorkflowImpl;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The three real MX clients, pointed at a sandbox with its default credentials. */
public final class MxClients {

  private MxClients() {}

  public static MxClient platform(MxSandbox sandbox, MeterRegistry registry) {
    return new PlatformMxClient(
        new KeyedEndpoint(URI.create(sandbox.platformBaseUrl()), SandboxConfig.DEFAULT_CLIENT_ID, SandboxConfig.DEFAULT_API_KEY),
        http("platform", registry));
  }

  public static MxClient atrium(MxSandbox sandbox, MeterRegistry registry) {
    return new AtriumMxClient(
        new KeyedEndpoint(URI.create(sandbox.atriumBaseUrl()), SandboxConfig.DEFAULT_CLIENT_ID, SandboxConfig.DEFAULT_API_KEY),
        http("atrium", registry));
  }

  public static MxClient nexus(MxSandbox sandbox, MeterRegistry registry) {
    MxHttp http = http("nexus", registry);
    NexusEndpoint settings = new NexusEndpoint(URI.create(sandbox.nexusBaseUrl()), SandboxConfig.DEFAULT_NEXUS_API_TOKEN);
    return new NexusMxClient(settings, http, new NexusSessions(settings, http));
  }

  public static MxGatewayRouter router(MxSandbox sandbox, MeterRegistry registry) {
    return new MxGatewayRouter(Map.of(
        MxApi.PLATFORM, platform(sandbox, registry),
        MxApi.ATRIUM, atrium(sandbox, registry),
        MxApi.NEXUS, nexus(sandbox, registry)));
  }

  /**
   * Starts a worker with the real workflow, this MX gateway and real (receiver-less) webhook and
   * alert activities on a test environment.
   */
  public static void startWorker(TestWorkflowEnvironment env, MxGateway mx, MeterRegistry registry) {
    HttpClient http = HttpClient.newHttpClient();
    ConnectionSearchAttributes.ALL.forEach(key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(ConnectionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ConnectionWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        mx,
        new StandardWebhookNotifier(List.of(), http, Duration.ofSeconds(5), Clock.systemUTC(), registry),
        new AlertmanagerAlerter(null, http, Duration.ofSeconds(5), Duration.ofHours(1), registry));
    env.start();
  }

  private static MxHttp http(String flavour, MeterRegistry registry) {
    return new MxHttp(flavour, HttpClient.newHttpClient(), Duration.ofSeconds(5), registry);
  }
}
