package io.memberflow.service.mx;

import jakarta.validation.constraints.NotBlank;

/**
 * The HTTP Basic credentials MX sends with its webhooks, as given to MX in its client dashboard (MX
 * documents Basic authentication for webhooks); {@link #toString} hides the password.
 */
public record MxWebhookCredentials(@NotBlank String username, @NotBlank String password) {

  @Override
  public String toString() {
    return "MxWebhookCredentials[username=" + username + ", password=***]";
  }
}
