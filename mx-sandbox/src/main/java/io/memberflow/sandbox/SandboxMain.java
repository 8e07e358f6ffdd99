package io.memberflow.sandbox;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the sandbox as its own program, for load runs and tests across a process boundary: {@code
 * java -cp ... io.memberflow.sandbox.SandboxMain --port=8091 --error-rate=0.1}; also {@code
 * --address}, {@code --state-file}, {@code --webhook-secret}, {@code --latency-ms}; MX's own
 * webhooks with {@code --mx-webhook-url}, {@code --mx-webhook-username}, {@code
 * --mx-webhook-password} (and {@code --mx-webhook-loss}, {@code --mx-webhook-duplicates}, {@code
 * --mx-webhook-delay-ms}); MX lagging with {@code --status-lag-ms}, {@code --aggregation-ms}.
 */
public final class SandboxMain {

  private SandboxMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    SandboxConfig defaults = SandboxConfig.defaults();
    SandboxConfig config =
        new SandboxConfig(
            options.getOrDefault("address", SandboxConfig.LOOPBACK),
            Integer.parseInt(options.getOrDefault("port", "8091")),
            options.getOrDefault("client-id", defaults.clientId()),
            options.getOrDefault("api-key", defaults.apiKey()),
            options.getOrDefault("nexus-api-token", defaults.nexusApiToken()),
            defaults.institutions(),
            new Faults(
                Double.parseDouble(options.getOrDefault("error-rate", "0")),
                Arrays.stream(options.getOrDefault("error-statuses", "503").split(","))
                    .map(Integer::valueOf)
                    .toList(),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "0")))),
            options.getOrDefault("frontend-origin", defaults.frontendOrigin()),
            options.get("webhook-secret"),
            options.containsKey("state-file") ? Path.of(options.get("state-file")) : null);
    MxSandbox sandbox = MxSandbox.start(config);
    if (options.containsKey("mx-webhook-url")) {
      sandbox.sendMxWebhooksTo(
          URI.create(options.get("mx-webhook-url")),
          options.getOrDefault("mx-webhook-username", "mx"),
          options.getOrDefault("mx-webhook-password", ""));
    }
    sandbox.setMxWebhookFaults(
        new MxWebhookFaults(
            Double.parseDouble(options.getOrDefault("mx-webhook-loss", "0")),
            Double.parseDouble(options.getOrDefault("mx-webhook-duplicates", "0")),
            Duration.ofMillis(Long.parseLong(options.getOrDefault("mx-webhook-delay-ms", "0")))));
    sandbox.setMemberTimings(
        new MemberTimings(
            Duration.ofMillis(Long.parseLong(options.getOrDefault("status-lag-ms", "0"))),
            Duration.ofMillis(
                Long.parseLong(
                    options.getOrDefault(
                        "aggregation-ms",
                        Long.toString(MemberTimings.DEFAULT.aggregationTime().toMillis())))),
            0));
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
    Thread.currentThread().join();
  }
}
