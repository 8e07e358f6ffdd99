package io.memberflow.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's part of an OAuth, over plain HTTP: opens the one-time window at the sandbox, picks an
 * outcome on the institution page, and takes the message the OAuth-complete page posts to its
 * opener, exactly as MX's page would post it. Tests and the load generator use it; a page that does
 * not look as it should is an {@link IllegalStateException} naming what was missing.
 */
public final class SandboxBrowser {

  private static final Pattern POSTED_MESSAGE = Pattern.compile("var message = (\\{.*?\\});");
  private static final Pattern OUTCOME_LINK =
      Pattern.compile("href=\"([^\"]*outcome=([A-Za-z_]+))\"");

  private final HttpClient http;
  private final String sandboxUrl;

  public SandboxBrowser(String sandboxUrl) {
    this(sandboxUrl, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  /**
   * @param http a client to share, e.g. one for all the load generator's simulated browsers
   */
  public SandboxBrowser(String sandboxUrl, HttpClient http) {
    this.sandboxUrl = sandboxUrl;
    this.http = http;
  }

  /** The posted message, after choosing {@code outcome} ({@code success} or an error_reason). */
  public String completeOAuth(String oauthWindowUri, String outcome)
      throws IOException, InterruptedException {
    HttpResponse<String> institution = get(oauthWindowUri);
    if (institution.statusCode() != 200) {
      throw new IllegalStateException(oauthWindowUri + " answered " + institution.statusCode());
    }
    String link = outcomeLink(institution.body(), outcome);
    HttpResponse<String> done = get(sandboxUrl + link);
    Matcher message = POSTED_MESSAGE.matcher(done.body());
    if (!message.find()) {
      throw new IllegalStateException(
          "the OAuth-complete page posts no message (" + done.statusCode() + ")");
    }
    return message.group(1);
  }

  private static String outcomeLink(String page, String outcome) {
    Matcher links = OUTCOME_LINK.matcher(page);
    while (links.find()) {
      if (links.group(2).equals(outcome)) {
        return links.group(1);
      }
    }
    throw new IllegalStateException("the institution page offers no " + outcome);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
