package io.memberflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One round of one side: {@code clients} loops, each running complete flows back to back until the
 * round's time is up or its flow budget is spent; a flow under way at the end finishes and counts.
 * CPU of every part is read before and after (with a settle, so work a flow left behind, like its
 * last workflow task, is charged to the side that caused it).
 */
final class Round {

  /** Time for what flows left behind (last workflow tasks, deliveries) before CPU is read. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private static final int ERROR_SAMPLES = 3;

  /** Finished flows whose histories are counted. */
  static final int HISTORY_SAMPLES = 20;

  private Round() {}

  record Result(
      String side,
      int clients,
      long flows,
      long errors,
      long repeated,
      Duration elapsed,
      Histogram start,
      Histogram relay,
      Map<String, Duration> cpu,
      List<String> errorSamples,
      List<String> finishedWorkflows) {

    double flowsPerSecond() {
      return flows / (elapsed.toNanos() / 1e9);
    }
  }

  static Result run(
      Side side, List<Part> parts, int clients, Duration length, long maxFlows, String idPrefix)
      throws InterruptedException {
    Histogram start = new ConcurrentHistogram(3);
    Histogram relay = new ConcurrentHistogram(3);
    AtomicLong flows = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicInteger ids = new AtomicInteger();
    List<String> samples = new ArrayList<>();
    List<String> finished = new CopyOnWriteArrayList<>();
    Map<String, Duration> cpuBefore = cpu(parts);
    long repeatedBefore = side.repeated();
    long began = System.nanoTime();
    long deadline = began + length.toNanos();
    ExecutorService loops = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      loops.execute(
          () -> {
            while (System.nanoTime() < deadline && ids.get() < maxFlows) {
              String memberId = side.name() + "-" + idPrefix + "-" + ids.incrementAndGet();
              try {
                Side.FlowTimes times = side.run(memberId);
                start.recordValue(TimeUnit.NANOSECONDS.toMicros(times.startNanos()));
                relay.recordValue(TimeUnit.NANOSECONDS.toMicros(times.relayNanos()));
                if (flows.incrementAndGet() <= HISTORY_SAMPLES) {
                  finished.add(side.workflowId(memberId));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              } catch (Exception e) {
                errors.incrementAndGet();
                synchronized (samples) {
                  if (samples.size() < ERROR_SAMPLES) {
                    samples.add(e.toString());
                  }
                }
              }
            }
          });
    }
    loops.shutdown();
    if (!loops.awaitTermination(length.toSeconds() + 120, TimeUnit.SECONDS)) {
      loops.shutdownNow();
      throw new IllegalStateException(
          side.name() + ": flows still running two minutes after the round");
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
    Thread.sleep(SETTLE.toMillis());
    Map<String, Duration> cpuAfter = cpu(parts);
    Map<String, Duration> used = new java.util.LinkedHashMap<>();
    cpuAfter.forEach((name, after) -> used.put(name, after.minus(cpuBefore.get(name))));
    return new Result(
        side.name(),
        clients,
        flows.get(),
        errors.get(),
        side.repeated() - repeatedBefore,
        elapsed,
        start,
        relay,
        used,
        samples,
        finished);
  }

  private static Map<String, Duration> cpu(List<Part> parts) {
    Map<String, Duration> cpu = new java.util.LinkedHashMap<>();
    parts.forEach(part -> cpu.put(part.name(), part.cpu()));
    return cpu;
  }
}
