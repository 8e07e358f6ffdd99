package io.memberflow.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The sandbox's time: real time plus whatever tests have moved it on by. */
public final class SandboxClock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public Instant now() {
    return Instant.now().plus(offset.get());
  }

  /** Moves the sandbox's time on, e.g. past a session's lifetime. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("the clock only moves forward");
    }
    offset.accumulateAndGet(by, Duration::plus);
  }
}
