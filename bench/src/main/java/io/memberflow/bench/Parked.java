package io.memberflow.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Connections that wait for their user cost memory and must not slow anyone else: the service's
 * heap (after a full GC) before and after parking {@code n} connections at their first window, and
 * the p99 of reads and relays of other connections before and after.
 */
final class Parked {

  private static final int SAMPLE_FLOWS = 400;
  private static final int SAMPLE_CLIENTS = 8;
  private static final int PARKING_CLIENTS = 32;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private Parked() {}

  record Sample(Histogram reads, Histogram relays, long errors) {}

  static String run(String server, Stack stack, MemberflowSide memberflow, int n) throws Exception {
    Sample before = sample(memberflow, "parked-before");
    long heapBefore = heapAfterGc(stack.service);
    long parkErrors = park(memberflow, n);
    long heapAfter = heapAfterGc(stack.service);
    Sample after = sample(memberflow, "parked-after");
    double bytesEach = (heapAfter - heapBefore) / (double) n;
    Table table = new Table(server + ", " + n + " parked connections", "before", "after", "target");
    table.row(
        "service heap after full GC, MB",
        Table.num(heapBefore / 1e6),
        Table.num(heapAfter / 1e6),
        "≤ 5 KB each: " + Table.num(bytesEach / 1000) + " KB, " + Table.verdict(bytesEach <= 5000));
    double readRatio = p99(after.reads) / p99(before.reads);
    double relayRatio = p99(after.relays) / p99(before.relays);
    table.row(
        "read p99 ms (" + SAMPLE_FLOWS + " flows)",
        Table.num(p99(before.reads)),
        Table.num(p99(after.reads)),
        "unchanged: ×" + Table.num(readRatio));
    table.row(
        "relay p99 ms (" + SAMPLE_FLOWS + " flows)",
        Table.num(p99(before.relays)),
        Table.num(p99(after.relays)),
        "unchanged: ×" + Table.num(relayRatio));
    table.row(
        "errors (sample before, parking, sample after)",
        String.valueOf(before.errors),
        parkErrors + ", " + after.errors,
        "0: " + Table.verdict(before.errors + parkErrors + after.errors == 0));
    return table.toString();
  }

  private static double p99(Histogram histogram) {
    return histogram.getValueAtPercentile(99) / 1000.0;
  }

  /** Complete flows with a read of the connection between its window and its relay. */
  private static Sample sample(MemberflowSide memberflow, String prefix)
      throws InterruptedException {
    Histogram reads = new ConcurrentHistogram(3);
    Histogram relays = new ConcurrentHistogram(3);
    AtomicLong errors = new AtomicLong();
    inParallel(
        SAMPLE_CLIENTS,
        SAMPLE_FLOWS,
        i -> {
          String id = prefix + "-" + i;
          MemberflowSide.Window window = memberflow.start(id);
          long read = System.nanoTime();
          memberflow.read(id);
          reads.recordValue((System.nanoTime() - read) / 1000);
          String message = memberflow.browser().completeOAuth(window.uri(), "success");
          long relay = System.nanoTime();
          memberflow.relay(id, window.browserToken(), message);
          relays.recordValue((System.nanoTime() - relay) / 1000);
        },
        errors);
    return new Sample(reads, relays, errors.get());
  }

  private static long park(MemberflowSide memberflow, int n) throws InterruptedException {
    AtomicLong errors = new AtomicLong();
    inParallel(PARKING_CLIENTS, n, i -> memberflow.start("parked-" + i), errors);
    return errors.get();
  }

  interface Step {
    void run(int i) throws Exception;
  }

  static void inParallel(int clients, int count, Step step, AtomicLong errors)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.execute(
          () -> {
            for (int i = next.incrementAndGet(); i <= count; i = next.incrementAndGet()) {
              try {
                step.run(i);
              } catch (Exception e) {
                errors.incrementAndGet();
              }
            }
          });
    }
    pool.shutdown();
    if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
      pool.shutdownNow();
      throw new IllegalStateException("parking did not finish within 30 minutes");
    }
  }

  /** The heap a part keeps after a full GC, in bytes, as {@code jcmd} reports it. */
  static long heapAfterGc(Part part) throws IOException, InterruptedException {
    jcmd(part, "GC.run");
    Matcher used = HEAP_USED.matcher(jcmd(part, "GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("jcmd GC.heap_info named no heap use");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(Part part, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(part.pid()), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }
}
