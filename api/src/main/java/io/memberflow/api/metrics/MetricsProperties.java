package io.memberflow.api.metrics;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param institutions the institution codes that get their own label value in metrics (the ones
 *     operators watch); every other institution counts as {@code other}, so a Prometheus series
 *     cannot be made per connection by a caller's institution code
 */
@ConfigurationProperties("memberflow.metrics")
public record MetricsProperties(Set<String> institutions) {

  public static final String OTHER = "other";

  public MetricsProperties {
    institutions = institutions == null ? Set.of() : Set.copyOf(institutions);
  }

  public String institutionLabel(String institutionCode) {
    return institutions.contains(institutionCode) ? institutionCode : OTHER;
  }
}
