package io.memberflow.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One part of the stack, whose CPU time the report divides among the flows it served: a process, or
 * a cluster's processes together.
 *
 * @param process the part's main process: alive while the part is
 * @param counted every process whose CPU time is the part's, as of now
 */
record Part(String name, ProcessHandle process, Supplier<Stream<ProcessHandle>> counted) {

  /**
   * The load generator itself: what it costs is the same for both sides, and shows the machine's
   * headroom.
   */
  static final Part LOAD_GENERATOR = new Part("load generator", ProcessHandle.current());

  Part(String name, Process process) {
    this(name, process.toHandle());
  }

  Part(String name, ProcessHandle process) {
    this(name, process, () -> Stream.of(process));
  }

  /**
   * Processes started elsewhere, with their children: a database's server forks one process per
   * connection.
   */
  static Part ofProcesses(String name, List<ProcessHandle> roots) {
    return new Part(
        name,
        roots.get(0),
        () -> roots.stream().flatMap(root -> Stream.concat(Stream.of(root), root.descendants())));
  }

  Duration cpu() {
    return counted
        .get()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  long pid() {
    return process.pid();
  }
}
