package io.memberflow.activities.mx;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * What every MX client is built on: Spring's {@link RestClient} (from the application's builder, so
 * with its one {@code ObjectMapper}), the pooled connections under it, where request timings go,
 * what signs APP redirect URLs on their way to MX, and how many users' MX guids each API's client
 * remembers ({@link KnownUsers}).
 */
public record MxTransport(
    RestClient.Builder restClients,
    ClientHttpRequestFactory requests,
    MeterRegistry registry,
    RedirectSigner redirects,
    int knownUsers) {

  private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);

  /**
   * Apache HttpClient 5 with a connection pool, rather than the JDK client under Spring's factory:
   * that one starts a thread per request on a two-core machine (the JDK hands every asynchronous
   * answer to the common pool, which then has no worker threads) and another per request body,
   * which made a call 2-3 times slower. Its own retries are off: Temporal retries.
   *
   * @param timeout how long MX may stay silent while answering one request
   * @param maxConnections connections kept to each MX API
   */
  public static HttpComponentsClientHttpRequestFactory pooledRequests(
      Duration timeout, int maxConnections) {
    Timeout silence = Timeout.of(timeout);
    return new HttpComponentsClientHttpRequestFactory(
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(maxConnections)
                    .setMaxConnTotal(3 * maxConnections)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(CONNECT_TIMEOUT)
                            .setSocketTimeout(silence)
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(silence)
                    .setConnectionRequestTimeout(silence)
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .build());
  }

  /**
   * A fresh builder for one API: the caller adds its headers; the shared builder stays as is. MX
   * requests are timed once, as {@code memberflow.mx.requests} ({@link MxHttp}); Spring's own
   * observation of every client request would time each again, at a meter lookup per request.
   */
  RestClient.Builder restClient(URI baseUrl) {
    return restClients
        .clone()
        .observationRegistry(ObservationRegistry.NOOP)
        .requestFactory(requests)
        .baseUrl(baseUrl.toString());
  }
}
