package io.memberflow.bench;

import java.time.Duration;

/** One process of the stack, whose CPU time the report divides among the flows it served. */
record Part(String name, ProcessHandle process) {

  /**
   * The load generator itself: what it costs is the same for both sides, and shows the machine's
   * headroom.
   */
  static final Part LOAD_GENERATOR = new Part("load generator", ProcessHandle.current());

  Part(String name, Process process) {
    this(name, process.toHandle());
  }

  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  long pid() {
    return process.pid();
  }
}
