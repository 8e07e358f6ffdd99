package io.memberflow.service.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API.
 *
 * @param backendApiKeys keys for {@code Authorization: Bearer <key>} from integrators' backends
 *     (required; the embedded profile sets a development key)
 * @param browserTokenSecret signs browser tokens and APP redirect URLs (HMAC-SHA256, at least 32
 *     characters; required; the embedded profile sets a development secret)
 * @param browserTokenTtl how long a browser token is valid (default 30m)
 * @param operatorApiKeys keys for {@code Authorization: Bearer <key>} from operators: the codec
 *     endpoint that decodes Temporal's encrypted payloads (none by default: then no one may)
 * @param appRedirectTtl how long the redirect URL of an APP window works, from the window's request
 *     to MX (default 30m: MX's windows last ten minutes)
 */
@ConfigurationProperties("memberflow.security")
public record SecurityProperties(
    List<String> backendApiKeys,
    String browserTokenSecret,
    @DefaultValue("30m") Duration browserTokenTtl,
    @DefaultValue("30m") Duration appRedirectTtl,
    List<String> operatorApiKeys) {

  public SecurityProperties {
    backendApiKeys = backendApiKeys == null ? List.of() : List.copyOf(backendApiKeys);
    operatorApiKeys = operatorApiKeys == null ? List.of() : List.copyOf(operatorApiKeys);
  }

  @Override
  public String toString() {
    return "SecurityProperties[backendApiKeys="
        + backendApiKeys.size()
        + " keys, browserTokenSecret=***, browserTokenTtl="
        + browserTokenTtl
        + ", appRedirectTtl="
        + appRedirectTtl
        + ", operatorApiKeys="
        + operatorApiKeys.size()
        + " keys]";
  }
}
