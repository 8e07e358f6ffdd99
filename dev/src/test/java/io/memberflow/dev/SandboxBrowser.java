package io.memberflow.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's part of an OAuth, over plain HTTP: opens the one-time window at the sandbox, picks
 * an outcome on the institution page, and takes the message the OAuth-complete page posts to its
 * opener, exactly as MX's page would post it.
 */
public final class SandboxBrowser {

  private static final Pattern POSTED_MESSAGE = Pattern.compile("var message = (\\{.*?\\});");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String sandboxUrl;

  public SandboxBrowser(String sandboxUrl) {
    this.sandboxUrl = sandboxUrl;
  }

  /** The posted message, after choosing {@code outcome} ({@code success} or an error_reason). */
  public String completeOAuth(String oauthWindowUri, String outcome) throws IOException, InterruptedException {
    HttpResponse<String> institution = get(oauthWindowUri);
    assertThat(institution.statusCode()).as(oauthWindowUri).isEqualTo(200);
    Matcher link = Pattern.compile("href=\"([^\"]*outcome=" + outcome + ")\"").matcher(institution.body());
    assertThat(link.find()).as("the institution page offers " + outcome).isTrue();
    HttpResponse<String> done = get(sandboxUrl + link.group(1));
    Matcher message = POSTED_MESSAGE.matcher(done.body());
    assertThat(message.find()).as("the OAuth-complete page posts a message").isTrue();
    return message.group(1);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
