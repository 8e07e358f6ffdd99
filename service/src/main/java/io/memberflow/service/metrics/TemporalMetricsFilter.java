package io.memberflow.service.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Prometheus needs every series of a name to carry the same label names. Temporal's SDK adds {@code
 * update_name} to some client request metrics only for updates, so Prometheus' registry would drop
 * those series; without the label they join the others.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalMetricsFilter {

  @Bean
  MeterFilter temporalUpdateNameWithoutOwnSeries() {
    return MeterFilter.ignoreTags("update_name");
  }
}
