package io.memberflow.service.mx;

import io.memberflow.activities.mx.KeyedEndpoint;
import io.memberflow.activities.mx.NexusEndpoint;
import io.memberflow.workflows.mx.MxApi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the workers reach MX: any of the three API generations, each used only when configured. The
 * defaults point all three at the embedded sandbox.
 *
 * @param defaultApi the API of connections that do not name one (default {@code platform})
 * @param platform the Platform API: base URL, client id, API key
 * @param atrium the Atrium API: base URL, client id, API key
 * @param nexus the Nexus API: base URL and the API token that opens sessions
 * @param requestTimeout how long MX may stay silent while answering one request before it counts as
 *     a retryable timeout
 * @param webhooks the Basic credentials MX sends with its webhooks; without them every webhook is
 *     refused
 * @param maxConnections connections kept open to each MX API (default 64); a worker runs up to 200
 *     activities at once, and a call waits for a free connection no longer than the timeout
 * @param knownUsers how many users' MX guids each API's client remembers (default 100000, some 10
 *     MB), so that a user's next connection creates its member without a call for the user; the
 *     least recently used are forgotten first, and a forgotten user costs one call more
 */
@Validated
@ConfigurationProperties("memberflow.mx")
public record MxProperties(
    @DefaultValue("platform") MxApi defaultApi,
    @Valid KeyedEndpoint platform,
    @Valid KeyedEndpoint atrium,
    @Valid NexusEndpoint nexus,
    @DefaultValue("10s") Duration requestTimeout,
    @Valid MxWebhookCredentials webhooks,
    @DefaultValue("64") @Positive int maxConnections,
    @DefaultValue("100000") @Positive int knownUsers) {

  public MxProperties {
    if (!configured(platform, atrium, nexus).contains(defaultApi)) {
      throw new IllegalArgumentException(
          "memberflow.mx.default-api is "
              + defaultApi.wireName()
              + " but memberflow.mx."
              + defaultApi.wireName()
              + " is not configured");
    }
  }

  /** The APIs this deployment has credentials for. */
  public Set<MxApi> configured() {
    return configured(platform, atrium, nexus);
  }

  private static Set<MxApi> configured(
      KeyedEndpoint platform, KeyedEndpoint atrium, NexusEndpoint nexus) {
    Set<MxApi> apis = EnumSet.noneOf(MxApi.class);
    if (platform != null) {
      apis.add(MxApi.PLATFORM);
    }
    if (atrium != null) {
      apis.add(MxApi.ATRIUM);
    }
    if (nexus != null) {
      apis.add(MxApi.NEXUS);
    }
    return apis;
  }
}
