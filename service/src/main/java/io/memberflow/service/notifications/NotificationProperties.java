package io.memberflow.service.notifications;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where outcomes go.
 *
 * @param webhooks the integrator's webhook receivers; none means webhooks are not sent
 * @param webhookTimeout how long one delivery may take
 * @param alertmanagerUrl Alertmanager's base URL; unset means operator alerts are logged and
 *     counted
 * @param alertResolveAfter how long an alert stays firing in Alertmanager unless raised again
 */
@Validated
@ConfigurationProperties("memberflow.notifications")
public record NotificationProperties(
    @Valid List<Webhook> webhooks,
    @DefaultValue("10s") Duration webhookTimeout,
    URI alertmanagerUrl,
    @DefaultValue("1h") Duration alertResolveAfter) {

  public NotificationProperties {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
  }

  /**
   * @param url the receiver
   * @param secret its Standard Webhooks secret ({@code whsec_} and base64)
   */
  public record Webhook(@NotNull URI url, @NotBlank String secret) {
    @Override
    public String toString() {
      return "Webhook[url=" + url + ", secret=***]";
    }
  }
}
