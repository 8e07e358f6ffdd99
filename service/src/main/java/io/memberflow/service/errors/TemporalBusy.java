package io.memberflow.service.errors;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/**
 * Temporal refused a call for its rate limits (RESOURCE_EXHAUSTED): nothing was done, and the
 * caller should slow down rather than hear that the service is down. Answered 429 with {@code
 * Retry-After}.
 */
public class TemporalBusy extends ApiException {

  static final String RETRY_AFTER_SECONDS = "1";

  @Override
  public Long retryAfterSeconds() {
    return Long.valueOf(RETRY_AFTER_SECONDS);
  }

  private static final long FIRST_PAUSE_MILLIS = 50;
  private static final long MAX_PAUSE_MILLIS = 800;

  /** Background callers (the gauges) have no request deadline: they wait this long at most. */
  private static final long BACKGROUND_PATIENCE_MILLIS = 5_000;

  /**
   * Runs a Temporal call, and runs it again after growing pauses while Temporal refuses it for its
   * limits (RESOURCE_EXHAUSTED) and the calling context's deadline leaves time: a limit is a
   * moment's crowding, which the caller should not hear of. The last refusal is thrown as it came.
   */
  public static <T> T waitedOut(Supplier<T> call) {
    long pauseMillis = FIRST_PAUSE_MILLIS;
    while (true) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (Status.fromThrowable(e).getCode() != Status.Code.RESOURCE_EXHAUSTED
            || !timeLeftFor(pauseMillis)) {
          throw e;
        }
        pause(pauseMillis);
        pauseMillis = Math.min(2 * pauseMillis, MAX_PAUSE_MILLIS);
      }
    }
  }

  private static boolean timeLeftFor(long pauseMillis) {
    Deadline deadline = Context.current().getDeadline();
    long left =
        deadline == null
            ? BACKGROUND_PATIENCE_MILLIS
            : deadline.timeRemaining(TimeUnit.MILLISECONDS) - MAX_PAUSE_MILLIS;
    return left > pauseMillis;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TemporalBusy();
    }
  }

  public TemporalBusy() {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many requests",
        "Temporal is at its request limits; nothing was done, try again in a second");
  }
}
