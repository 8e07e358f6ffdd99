package io.memberflow.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a person waits for between pressing Connect and the bank's page: start → window, one start
 * at a time on an otherwise idle stack, with every MX call answered after the bench's MX latency.
 * Its floor is the MX calls no implementation can skip, one after the other: a new user's and its
 * member's for memberflow (the window comes with the member), the member's alone for a user the
 * service has seen; the bare flow makes three, each a regular activity.
 */
final class WindowWait {

  private static final int SAMPLES = 30;

  /** What memberflow may add to its floor. */
  static final Duration ALLOWANCE = Duration.ofMillis(60);

  private WindowWait() {}

  static String run(String server, MemberflowSide memberflow, BareSide bare, Duration mxLatency)
      throws Exception {
    Histogram newUsers = new Histogram(3);
    Histogram knownUsers = new Histogram(3);
    Histogram bareNewUsers = new Histogram(3);
    for (int i = 0; i < SAMPLES; i++) {
      String user = "wait-user-" + i;
      long began = System.nanoTime();
      memberflow.start("wait-new-" + i, user, false);
      record(newUsers, began);
    }
    for (int i = 0; i < SAMPLES; i++) {
      long began = System.nanoTime();
      memberflow.start("wait-known-" + i, "wait-user-" + i, false);
      record(knownUsers, began);
    }
    for (int i = 0; i < SAMPLES; i++) {
      long began = System.nanoTime();
      bare.open("wait-bare-" + i);
      record(bareNewUsers, began);
    }
    Table table =
        new Table(
            server
                + ", start → window, one at a time, MX answering after "
                + mxLatency.toMillis()
                + " ms",
            "MX calls",
            "floor ms",
            "p50 / p99 ms",
            "target");
    row(table, "memberflow, new user", 2, mxLatency, newUsers, true);
    row(table, "memberflow, known user", 1, mxLatency, knownUsers, true);
    row(table, "bare flow, new user", 3, mxLatency, bareNewUsers, false);
    return table.toString();
  }

  private static void record(Histogram waits, long beganNanos) {
    waits.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - beganNanos));
  }

  private static void row(
      Table table, String what, int calls, Duration mxLatency, Histogram waits, boolean targeted) {
    double floor = calls * mxLatency.toMillis();
    double p50 = waits.getValueAtPercentile(50) / 1000.0;
    double bound = floor + ALLOWANCE.toMillis();
    table.row(
        what,
        Integer.toString(calls),
        Table.num(floor),
        Table.num(p50) + " / " + Table.num(waits.getValueAtPercentile(99) / 1000.0),
        targeted ? "p50 ≤ " + Table.num(bound) + ": " + Table.verdict(p50 <= bound) : "-");
  }
}
