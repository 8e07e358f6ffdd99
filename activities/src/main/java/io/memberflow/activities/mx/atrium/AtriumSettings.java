package io.memberflow.activities.mx.atrium;

import java.net.URI;

/** Where the Atrium API is and the credentials to use; {@link #toString} hides the key. */
public record AtriumSettings(URI baseUrl, String clientId, String apiKey) {

  @Override
  public String toString() {
    return "AtriumSettings[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=***]";
  }
}
