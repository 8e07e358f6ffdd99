package io.memberflow.service.mx;

import io.memberflow.workflows.mx.MxApi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the workers reach MX: any of the three API generations, each used only when configured.
 * The defaults point all three at the embedded sandbox.
 *
 * @param defaultApi the API of connections that do not name one (default {@code platform})
 * @param platform the Platform API: base URL, client id, API key
 * @param atrium the Atrium API: base URL, client id, API key
 * @param nexus the Nexus API: base URL and the API token that opens sessions
 * @param requestTimeout how long one MX request may take before it counts as a retryable timeout
 */
@Validated
@ConfigurationProperties("memberflow.mx")
public record MxProperties(
    @DefaultValue("platform") MxApi defaultApi,
    @Valid KeyedApi platform,
    @Valid KeyedApi atrium,
    @Valid Nexus nexus,
    @DefaultValue("10s") Duration requestTimeout) {

  public MxProperties {
    if (!configured(platform, atrium, nexus).contains(defaultApi)) {
      throw new IllegalArgumentException(
          "memberflow.mx.default-api is " + defaultApi.wireName()
              + " but memberflow.mx." + defaultApi.wireName() + " is not configured");
    }
  }

  /** The APIs this deployment has credentials for. */
  public Set<MxApi> configured() {
    return configured(platform, atrium, nexus);
  }

  private static Set<MxApi> configured(KeyedApi platform, KeyedApi atrium, Nexus nexus) {
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

  /**
   * An API that authenticates with a client id and an API key (Platform, Atrium).
   *
   * @param baseUrl e.g. {@code https://int-api.mx.com} for the Platform API
   * @param apiKey a secret, from the environment in production
   */
  public record KeyedApi(@NotNull URI baseUrl, @NotBlank String clientId, @NotBlank String apiKey) {
    @Override
    public String toString() {
      return "KeyedApi[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=***]";
    }
  }

  /**
   * @param apiToken the {@code MD-API-TOKEN} for {@code POST /sessions}: a secret
   */
  public record Nexus(@NotNull URI baseUrl, @NotBlank String apiToken) {
    @Override
    public String toString() {
      return "Nexus[baseUrl=" + baseUrl + ", apiToken=***]";
    }
  }
}
