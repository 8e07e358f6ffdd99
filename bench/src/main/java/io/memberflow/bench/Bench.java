package io.memberflow.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * memberflow against a bare Temporal workflow with the same MX calls, on the same server and
 * sandbox, rounds interleaved (memberflow, bare, memberflow, bare) so that a noisy machine hurts
 * both alike. Every request goes to 127.0.0.1; every round is bounded in time and in flows. Run
 * with {@code bench/run}; {@code bench/run --help} lists the options.
 */
public final class Bench {

  private static final Path RUNS = Repository.path("bench", "target", "runs");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println(
          "bench/run [--servers=dev,java,postgres] [--clients=8,32,64] [--round-seconds=30] [--rounds=2]"
              + " [--warmup-seconds=60] [--max-flows=20000] [--parked=0] [--lived=0] [--startups=0]"
              + " [--profile=false] [--mx-latency-ms=0]");
      return;
    }
    run(Options.parse(args), System.out);
  }

  /**
   * Prints each table as it is measured; returns the comparisons, server by server and level by
   * level.
   */
  static List<Comparison> run(Options options, PrintStream out) throws Exception {
    out.println(machine());
    out.printf(
        Locale.ROOT,
        "%d round(s) of %d s per side and level, interleaved; %d s warm-up per side; MX answers"
            + " after %d ms%n%n",
        options.rounds(),
        options.round().toSeconds(),
        options.warmup().toSeconds(),
        options.mxLatency().toMillis());
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Comparison> comparisons = new ArrayList<>();
    for (TemporalKind kind : options.servers()) {
      String run = kind.name().toLowerCase(Locale.ROOT);
      try (LifeWebhooks webhooks = options.lived() > 0 ? LifeWebhooks.start() : null;
          Stack stack =
              new Stack(
                  kind,
                  RUNS.resolve(run),
                  options.profile(),
                  webhooks == null ? null : webhooks.url(),
                  options.mxLatency());
          BareSide bare = new BareSide(stack, http);
          Histories histories = new Histories(stack)) {
        MemberflowSide memberflow = new MemberflowSide(stack, http);
        List<Part> parts =
            List.of(
                stack.temporal,
                stack.sandbox,
                stack.service,
                stack.bareWorker,
                Part.LOAD_GENERATOR);
        if (!options.warmup().isZero()) {
          // Both JVMs compile their hot paths first: the comparison is of steady states.
          Round.run(memberflow, parts, 8, options.warmup(), options.maxFlows(), run + "-warmup");
          Round.run(bare, parts, 8, options.warmup(), options.maxFlows(), run + "-warmup");
        }
        for (int clients : options.clients()) {
          List<Round.Result> ours = new ArrayList<>();
          List<Round.Result> theirs = new ArrayList<>();
          for (int round = 1; round <= options.rounds(); round++) {
            String prefix = run + "-c" + clients + "-r" + round;
            ours.add(
                Round.run(memberflow, parts, clients, options.round(), options.maxFlows(), prefix));
            theirs.add(
                Round.run(bare, parts, clients, options.round(), options.maxFlows(), prefix));
          }
          Comparison comparison = new Comparison(clients, ours, theirs, histories);
          comparisons.add(comparison);
          out.println(comparison.render(kind.label, stack));
        }
        out.println(WindowWait.run(kind.label, memberflow, bare, options.mxLatency()));
        if (options.parked() > 0) {
          out.println(Parked.run(kind.label, stack, memberflow, options.parked()));
        }
        if (webhooks != null && kind != TemporalKind.JAVA) {
          out.println(Lived.run(kind.label, stack, memberflow, webhooks, options.lived(), http));
        } else if (webhooks != null) {
          // MX's webhooks reach a connection through visibility, which the Java server lacks.
          out.println(kind.label + ": no lived connections measured; they need visibility\n");
        }
      }
    }
    if (options.startups() > 0) {
      out.println(Startup.run(options.startups(), RUNS.resolve("startups")));
    }
    return comparisons;
  }

  /** What the figures were measured on. */
  private static String machine() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
    return String.format(
        Locale.ROOT,
        "machine: %d cores (%s), %d GiB, Java %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(line -> line.startsWith("MemTotal"))
            .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024)
            .findFirst()
            .orElse(0L),
        System.getProperty("java.version"));
  }
}
