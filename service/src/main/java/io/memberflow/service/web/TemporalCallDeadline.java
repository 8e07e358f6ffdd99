package io.memberflow.service.web;

import io.grpc.Context;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.serviceclient.rpcretry.DefaultStubServiceOperationRpcRetryOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every Temporal call a request makes. Temporal's client retries an unreachable server for a
 * minute; an API caller should hear within seconds that the service is unavailable (503) and retry,
 * rather than hang. The SDK honours the gRPC deadline of the calling context, but only between its
 * retries, after a pause of up to five seconds by default: the pause is shortened to {@link
 * #LONGEST_RETRY_PAUSE}, and Temporal's calls get the request's deadline less that pause and a
 * margin, so that the request is answered within its deadline.
 */
@Component
public class TemporalCallDeadline extends OncePerRequestFilter {

  /** The longest pause of Temporal's client between two tries of a call. */
  static final Duration LONGEST_RETRY_PAUSE = Duration.ofMillis(500);

  /** What the Temporal calls of a request leave of its deadline: a pause, its jitter, an answer. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

  private final Duration deadline;
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(1, timerThreads());

  public TemporalCallDeadline(ApiProperties api) {
    Duration whole = api.temporalDeadline();
    this.deadline =
        whole.compareTo(ANSWER_MARGIN.multipliedBy(2)) > 0 ? whole.minus(ANSWER_MARGIN) : whole;
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

  /** Temporal's client, retrying a call with pauses the request's deadline can afford. */
  @Bean
  static TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> shortRetryPauses() {
    return stubs ->
        stubs.setRpcRetryOptions(
            DefaultStubServiceOperationRpcRetryOptions.getBuilder()
                .setCongestionInitialInterval(LONGEST_RETRY_PAUSE)
                .setMaximumInterval(LONGEST_RETRY_PAUSE)
                .build());
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
