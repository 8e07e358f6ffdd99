package io.memberflow.service.metrics;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param institutions the institution codes that get their own label value in metrics (the ones
 *     operators watch); every other institution counts as {@code other}, so a Prometheus series
 *     cannot be made per connection by a caller's institution code
 * @param inFlightInterval how often the in-flight gauges are read from Temporal visibility (default
 *     15s; each read is one count query per non-terminal state)
 */
@ConfigurationProperties("memberflow.metrics")
public record MetricsProperties(
    Set<String> institutions, @DefaultValue("15s") Duration inFlightInterval) {

  public static final String OTHER = "other";

  public MetricsProperties {
    institutions = institutions == null ? Set.of() : Set.copyOf(institutions);
  }

  public String institutionLabel(String institutionCode) {
    return institutions.contains(institutionCode) ? institutionCode : OTHER;
  }
}
