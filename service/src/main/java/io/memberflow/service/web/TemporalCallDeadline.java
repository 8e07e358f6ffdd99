package io.memberflow.service.web;

import io.grpc.Context;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every Temporal call a request makes. Temporal's client retries an unreachable server for a
 * minute; an API caller should hear within seconds that the service is unavailable (503) and retry,
 * rather than hang. The SDK honours the gRPC deadline of the calling context.
 */
@Component
public class TemporalCallDeadline extends OncePerRequestFilter {

  private final Duration deadline;
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(1, timerThreads());

  public TemporalCallDeadline(ApiProperties api) {
    this.deadline = api.temporalDeadline();
    // A request that ends in time cancels its deadline; the timer must not keep it for 15 s.
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      within(
          deadline,
          () -> {
            chain.doFilter(request, response);
            return null;
          });
    } catch (IOException | ServletException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the call with its Temporal calls bounded by {@code limit}, or by an earlier deadline. */
  public <T> T within(Duration limit, Callable<T> call) throws Exception {
    Context.CancellableContext bounded =
        Context.current().withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS, timer);
    try {
      return bounded.call(call);
    } finally {
      bounded.cancel(null);
    }
  }

  private static CustomizableThreadFactory timerThreads() {
    CustomizableThreadFactory threads = new CustomizableThreadFactory("temporal-deadline-");
    threads.setDaemon(true);
    return threads;
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
