package io.memberflow.activities.mx.nexus;

import java.net.URI;

/** Where the Nexus API is and the API token that opens sessions; {@link #toString} hides it. */
public record NexusSettings(URI baseUrl, String apiToken) {

  @Override
  public String toString() {
    return "NexusSettings[baseUrl=" + baseUrl + ", apiToken=***]";
  }
}
