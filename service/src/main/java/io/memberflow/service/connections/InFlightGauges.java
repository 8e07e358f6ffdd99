package io.memberflow.service.connections;

import io.memberflow.service.metrics.MetricsProperties;
import io.memberflow.workflows.connection.ConnectionState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Connections in flight by state, as gauges read from Temporal visibility: the source of truth, the
 * same for every instance and across restarts, unlike counters kept by one process. Every instance
 * exports the same values, so dashboards take the max over instances, not the sum. Against a server
 * without visibility (Temporal's Java test server) there are no such gauges.
 */
@Component
public class InFlightGauges implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InFlightGauges.class);

  private final ConnectionDirectory directory;
  private final MeterRegistry registry;
  private final MetricsProperties properties;
  private final Map<ConnectionState, AtomicLong> values = new EnumMap<>(ConnectionState.class);
  private final ScheduledExecutorService reader =
      Executors.newSingleThreadScheduledExecutor(
          new CustomizableThreadFactory("in-flight-gauges-"));

  public InFlightGauges(
      ConnectionDirectory directory, MeterRegistry registry, MetricsProperties properties) {
    this.directory = directory;
    this.registry = registry;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    long every = properties.inFlightInterval().toMillis();
    reader.scheduleWithFixedDelay(this::read, 0, every, TimeUnit.MILLISECONDS);
  }

  private void read() {
    try {
      directory.countInFlight().forEach((state, count) -> gauge(state).set(count));
    } catch (ConnectionDirectory.VisibilityUnavailable e) {
      log.info("No in-flight gauges: this Temporal server has no visibility");
      reader.shutdown();
    } catch (RuntimeException e) {
      log.warn(
          "Could not read connections in flight from Temporal visibility; gauges keep their last values",
          e);
    }
  }

  private AtomicLong gauge(ConnectionState state) {
    return values.computeIfAbsent(
        state,
        s -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder("memberflow.connections.in.flight", value, AtomicLong::get)
              .description("Connections whose workflow runs, by state, from Temporal visibility")
              .tag("state", s.name())
              .register(registry);
          return value;
        });
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
