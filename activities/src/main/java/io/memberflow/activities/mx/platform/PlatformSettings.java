package io.memberflow.activities.mx.platform;

import java.net.URI;

/** Where the Platform API is and the credentials to use; {@link #toString} hides the key. */
public record PlatformSettings(URI baseUrl, String clientId, String apiKey) {

  @Override
  public String toString() {
    return "PlatformSettings[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=***]";
  }
}
