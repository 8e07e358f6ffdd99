package io.memberflow.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's options, as {@code --name=value}.
 *
 * @param servers which Temporal servers to run on, in order ({@code dev,java} by default; {@code
 *     postgres}: the two-node cluster of scripts/temporal-postgres/stack)
 * @param clients the concurrency levels, each a pair of interleaved rounds per side
 * @param round the length of one round
 * @param rounds rounds per side and level, interleaved memberflow, bare, memberflow, bare, ...
 * @param warmup a round per side before the first level, not reported (JIT, pools, caches)
 * @param maxFlows the most flows one round starts, whatever its length
 * @param parked connections to park (started, never finished) for the memory and latency check; 0
 *     skips it
 * @param lived connections to connect and keep (they live on) for the memory, database and
 *     status-change-to-webhook check; 0 skips it. With it, MX's webhooks and the service's own are
 *     on for the whole run.
 * @param startups embedded-default start-ups to time (median reported); 0 skips them
 * @param profile record JFR profiles of the service and the bare worker
 *     (bench/target/runs/*\/*.jfr)
 * @param mxLatency how long the sandbox takes to answer every MX call, for both sides alike (0 by
 *     default; MX takes hundreds of milliseconds in production)
 */
record Options(
    List<TemporalKind> servers,
    List<Integer> clients,
    Duration round,
    int rounds,
    Duration warmup,
    long maxFlows,
    int parked,
    int lived,
    int startups,
    boolean profile,
    Duration mxLatency) {

  private static final Set<String> NAMES =
      Set.of(
          "servers",
          "clients",
          "round-seconds",
          "rounds",
          "warmup-seconds",
          "max-flows",
          "parked",
          "lived",
          "startups",
          "profile",
          "mx-latency-ms");

  static Options parse(String... args) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0 || !NAMES.contains(arg.substring(2, eq))) {
        throw new IllegalArgumentException(
            "unknown option "
                + arg
                + "; the options are --"
                + String.join("=, --", NAMES.stream().sorted().toList())
                + "=");
      }
      given.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Options options =
        new Options(
            Arrays.stream(given.getOrDefault("servers", "dev,java").split(","))
                .map(s -> TemporalKind.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)))
                .toList(),
            Arrays.stream(given.getOrDefault("clients", "8,32,64").split(","))
                .map(s -> Integer.valueOf(s.trim()))
                .toList(),
            Duration.ofSeconds(Long.parseLong(given.getOrDefault("round-seconds", "30"))),
            Integer.parseInt(given.getOrDefault("rounds", "2")),
            Duration.ofSeconds(Long.parseLong(given.getOrDefault("warmup-seconds", "60"))),
            Long.parseLong(given.getOrDefault("max-flows", "20000")),
            Integer.parseInt(given.getOrDefault("parked", "0")),
            Integer.parseInt(given.getOrDefault("lived", "0")),
            Integer.parseInt(given.getOrDefault("startups", "0")),
            Boolean.parseBoolean(given.getOrDefault("profile", "false")),
            Duration.ofMillis(Long.parseLong(given.getOrDefault("mx-latency-ms", "0"))));
    if (options.clients.stream().anyMatch(c -> c < 1 || c > 256)
        || options.rounds < 1
        || options.round.isZero()
        || options.round.toMinutes() > 10
        || options.maxFlows < 1
        || options.parked < 0
        || options.parked > 50_000
        || options.lived < 0
        || options.lived > 50_000
        || options.startups < 0
        || options.startups > 10
        || options.mxLatency.isNegative()
        || options.mxLatency.toMillis() > 5000) {
      throw new IllegalArgumentException(
          "out of bounds: clients 1-256, rounds >= 1, round 1 s to 10 min, max-flows >= 1, parked and"
              + " lived 0-50000, startups 0-10, mx-latency-ms 0-5000");
    }
    return options;
  }
}
