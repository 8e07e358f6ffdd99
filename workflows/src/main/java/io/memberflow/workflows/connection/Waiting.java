package io.memberflow.workflows.connection;

import java.time.Duration;
import java.time.Instant;

/**
 * What a connection waits for, and until when: the end of the wait's window, or, while it reads MX
 * for an answer (a confirmation, the aggregation), the next read, with pauses that double.
 */
final class Waiting {

  /** The first pause between confirmation reads; it doubles up to {@link #MAX_READ_PAUSE}. */
  static final Duration FIRST_READ_PAUSE = Duration.ofSeconds(1);

  static final Duration MAX_READ_PAUSE = Duration.ofSeconds(15);

  /** The first pause between reads that follow the aggregation; it doubles up to a minute. */
  static final Duration FIRST_AGGREGATION_PAUSE = Duration.ofSeconds(2);

  static final Duration MAX_AGGREGATION_PAUSE = Duration.ofMinutes(1);

  private Wait what = Wait.NOTHING;
  private WindowEnd end;
  private Instant windowEnds;
  private Instant nextRead;
  private Duration pause;
  private Duration longestPause;

  /**
   * A wait with a window; its end leads to {@code end}. While a confirmation or the aggregation is
   * awaited, MX is read within it, with pauses that double.
   */
  void start(Wait what, WindowEnd end, Instant windowEnds) {
    this.what = what;
    this.end = end;
    this.windowEnds = windowEnds;
    this.nextRead = null;
    this.pause = what == Wait.AGGREGATION ? FIRST_AGGREGATION_PAUSE : FIRST_READ_PAUSE;
    this.longestPause = what == Wait.AGGREGATION ? MAX_AGGREGATION_PAUSE : MAX_READ_PAUSE;
  }

  /** A wait for an answer in hand, or for nothing: no time ends it. */
  void set(Wait what) {
    this.what = what;
  }

  /** After a read that settled nothing: schedules the next one, or says the window is over. */
  boolean readAgain(Instant now) {
    if (!now.isBefore(windowEnds)) {
      return false;
    }
    nextRead = now.plus(pause);
    Duration doubled = pause.multipliedBy(2);
    pause = doubled.compareTo(longestPause) < 0 ? doubled : longestPause;
    return true;
  }

  Wait what() {
    return what;
  }

  WindowEnd end() {
    return end;
  }

  /** When the connection acts if nothing comes first; null when no time ends the wait. */
  Instant until(Instant now) {
    return switch (what) {
      case NOTHING, MX_VERDICT -> null;
      case FIRST_WINDOW -> now;
      default -> nextRead != null && nextRead.isBefore(windowEnds) ? nextRead : windowEnds;
    };
  }
}
