package io.memberflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bench/run keeps working: a short run on Temporal's Java test server (no install needed) drives
 * complete flows on both sides, from the built production jar, and reports them.
 */
class BenchIT {

  @Test
  void aShortRunCompletesFlowsOnBothSidesAndReportsThem() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Comparison> comparisons =
        Bench.run(
            Options.parse(
                "--servers=java",
                "--clients=2",
                "--round-seconds=4",
                "--rounds=1",
                "--warmup-seconds=0",
                "--mx-latency-ms=20"),
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(comparisons).hasSize(1);
    Comparison.Summary memberflow = comparisons.get(0).memberflow();
    Comparison.Summary bare = comparisons.get(0).bare();
    assertThat(memberflow.flows).as(printed.toString(StandardCharsets.UTF_8)).isPositive();
    assertThat(bare.flows).isPositive();
    assertThat(memberflow.errors + bare.errors).isZero();
    assertThat(memberflow.start.getTotalCount()).isEqualTo(memberflow.flows);
    assertThat(memberflow.cpuMsPerFlow("memberflow")).isPositive();
    assertThat(bare.cpuMsPerFlow("bare worker")).isPositive();
    assertThat(memberflow.historyEvents).isPositive();
    assertThat(bare.historyEvents).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("| Java test server, 2 clients | memberflow | bare | ratio | target |")
        .contains("flows/s, median (rounds)")
        .contains("history events per successful flow")
        .contains("start → window, one at a time, MX answering after 20 ms")
        .contains("memberflow, known user");
  }
}
