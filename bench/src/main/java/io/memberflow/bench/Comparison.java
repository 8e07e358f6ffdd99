package io.memberflow.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/** The rounds of both sides at one concurrency level, summed up against the targets. */
final class Comparison {

  private final int clients;
  private final Summary memberflow;
  private final Summary bare;

  Comparison(
      int clients, List<Round.Result> memberflow, List<Round.Result> bare, Histories histories) {
    this.clients = clients;
    this.memberflow = new Summary(memberflow, histories);
    this.bare = new Summary(bare, histories);
  }

  Summary memberflow() {
    return memberflow;
  }

  Summary bare() {
    return bare;
  }

  /** One side's rounds: median rate, merged latencies, CPU over all its flows. */
  static final class Summary {
    final List<Round.Result> rounds;
    final Histogram start = new Histogram(3);
    final Histogram relay = new Histogram(3);
    final long flows;
    final long errors;
    final long repeated;
    final double historyEvents;

    Summary(List<Round.Result> rounds, Histories histories) {
      this.rounds = rounds;
      rounds.forEach(
          r -> {
            start.add(r.start());
            relay.add(r.relay());
          });
      flows = rounds.stream().mapToLong(Round.Result::flows).sum();
      errors = rounds.stream().mapToLong(Round.Result::errors).sum();
      repeated = rounds.stream().mapToLong(Round.Result::repeated).sum();
      historyEvents =
          histories.median(rounds.stream().flatMap(r -> r.finishedWorkflows().stream()).toList());
    }

    double medianRate() {
      double[] rates = rounds.stream().mapToDouble(Round.Result::flowsPerSecond).sorted().toArray();
      int mid = rates.length / 2;
      return rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
    }

    String rates() {
      return Table.num(medianRate())
          + " ("
          + String.join(", ", rounds.stream().map(r -> Table.num(r.flowsPerSecond())).toList())
          + ")";
    }

    double cpuMsPerFlow(String part) {
      double ns = rounds.stream().mapToDouble(r -> r.cpu().get(part).toNanos()).sum();
      return flows == 0 ? Double.NaN : ns / 1e6 / flows;
    }

    static double ms(Histogram h, double percentile) {
      return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static String percentiles(Histogram h) {
      return Table.num(ms(h, 50)) + " / " + Table.num(ms(h, 95)) + " / " + Table.num(ms(h, 99));
    }
  }

  double rateRatio() {
    return memberflow.medianRate() / bare.medianRate();
  }

  double startP99Ratio() {
    return Summary.ms(memberflow.start, 99) / Summary.ms(bare.start, 99);
  }

  double relayP99Ratio() {
    return Summary.ms(memberflow.relay, 99) / Summary.ms(bare.relay, 99);
  }

  double workerCpuRatio(String memberflowWorker, String bareWorker) {
    return memberflow.cpuMsPerFlow(memberflowWorker) / bare.cpuMsPerFlow(bareWorker);
  }

  String render(String server, Stack stack) {
    String mfWorker = stack.service.name();
    String bareWorker = stack.bareWorker.name();
    Table table =
        new Table(server + ", " + clients + " clients", "memberflow", "bare", "ratio", "target");
    boolean rateTargetApplies = clients == 8 || clients == 32;
    // On Temporal's Java test server the server's own cost dominates both sides alike.
    double rateTarget = stack.kind == TemporalKind.JAVA ? 1.0 : 1.2;
    table.row(
        "flows/s, median (rounds)",
        memberflow.rates(),
        bare.rates(),
        Table.num(rateRatio()),
        rateTargetApplies
            ? "≥ " + Table.num(rateTarget) + ": " + Table.verdict(rateRatio() >= rateTarget)
            : "-");
    table.row(
        "flows / errors (503s repeated)",
        memberflow.flows + " / " + memberflow.errors + " (" + memberflow.repeated + ")",
        bare.flows + " / " + bare.errors,
        "",
        clients <= 64 ? "0 errors: " + Table.verdict(memberflow.errors == 0) : "-");
    table.row(
        "start → window ms, p50 / p95 / p99",
        Summary.percentiles(memberflow.start),
        Summary.percentiles(bare.start),
        "p99 " + Table.num(startP99Ratio()),
        "≤ 2: " + Table.verdict(startP99Ratio() <= 2));
    table.row(
        "relay → connected ms, p50 / p95 / p99",
        Summary.percentiles(memberflow.relay),
        Summary.percentiles(bare.relay),
        "p99 " + Table.num(relayP99Ratio()),
        "≤ 1.5: " + Table.verdict(relayP99Ratio() <= 1.5));
    table.row(
        "worker CPU ms/flow (memberflow service, bare worker)",
        Table.num(memberflow.cpuMsPerFlow(mfWorker)),
        Table.num(bare.cpuMsPerFlow(bareWorker)),
        Table.num(workerCpuRatio(mfWorker, bareWorker)),
        "≤ 2: " + Table.verdict(workerCpuRatio(mfWorker, bareWorker) <= 2));
    for (String shared :
        List.of(stack.temporal.name(), stack.sandbox.name(), Part.LOAD_GENERATOR.name())) {
      double ratio = memberflow.cpuMsPerFlow(shared) / bare.cpuMsPerFlow(shared);
      boolean isServer = shared.equals(stack.temporal.name());
      table.row(
          shared + " CPU ms/flow",
          Table.num(memberflow.cpuMsPerFlow(shared)),
          Table.num(bare.cpuMsPerFlow(shared)),
          Table.num(ratio),
          isServer ? "< 1: " + Table.verdict(ratio < 1) : "-");
    }
    double events = memberflow.historyEvents / bare.historyEvents;
    table.row(
        "history events per successful flow, median",
        Table.num(memberflow.historyEvents),
        Table.num(bare.historyEvents),
        Table.num(events),
        "< 1: " + Table.verdict(events < 1));
    StringBuilder out = new StringBuilder(table.toString());
    for (Round.Result round : memberflow.rounds) {
      round.errorSamples().forEach(e -> out.append("memberflow error: ").append(e).append('\n'));
    }
    for (Round.Result round : bare.rounds) {
      round.errorSamples().forEach(e -> out.append("bare error: ").append(e).append('\n'));
    }
    return out.toString();
  }
}
