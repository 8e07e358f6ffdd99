package io.memberflow.activities.webhooks;

import java.net.URI;

/** A receiver of memberflow's webhooks and its Standard Webhooks secret ({@code whsec_...}). */
public record WebhookEndpoint(URI url, String secret) {

  @Override
  public String toString() {
    return "WebhookEndpoint[url=" + url + ", secret=***]";
  }
}
